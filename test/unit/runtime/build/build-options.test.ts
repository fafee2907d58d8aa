import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../../runtime/api/route.js';
import { buildOptions } from '../../../../runtime/build/build-routes.js';

/** The parts of a request `buildOptions` reads. */
const request = (query: string): ApiRequest => {
  const params = new URLSearchParams(query);
  return {
    query: params,
    headers: {},
    flag: (name: string) => ['1', 'true', 'True'].includes(params.get(name) ?? ''),
  } as unknown as ApiRequest;
};

describe('buildOptions', () => {
  it('reads the query as docker and docker-py send it', () => {
    const q = [
      't=a:1',
      't=b',
      `buildargs=${encodeURIComponent('{"A":"1","B":null}')}`,
      `labels=${encodeURIComponent('{"l":"v"}')}`,
      'nocache=1',
      'pull=true',
      'target=build',
      'networkmode=none',
      'memory=67108864',
      'cpushares=0',
      'extrahosts=a:1.2.3.4,b:5.6.7.8',
      `ulimits=${encodeURIComponent('[{"Name":"nofile","Soft":1024,"Hard":1024}]')}`,
    ].join('&');
    expect(buildOptions(request(q))).toEqual({
      tags: ['a:1', 'b'],
      buildArgs: { A: '1', B: null },
      labels: { l: 'v' },
      target: 'build',
      noCache: true,
      pull: true,
      registryConfig: {},
      networkMode: 'none',
      runHostConfig: {
        Memory: 67108864,
        ExtraHosts: ['a:1.2.3.4', 'b:5.6.7.8'],
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 1024 }],
      },
    });
  });

  it('defaults: the default network, no cache flags', () => {
    expect(buildOptions(request(''))).toMatchObject({
      tags: [],
      networkMode: 'default',
      noCache: false,
      runHostConfig: {},
    });
    expect(buildOptions(request('networkmode=default')).networkMode).toBe('default');
  });

  it.each([
    ['buildargs=[1]', 'invalid buildargs parameter'],
    ['labels=nope', 'invalid labels parameter'],
    ['memory=lots', 'invalid memory parameter'],
    ['ulimits={}', 'invalid ulimits parameter'],
  ])('refuses %s', (q, message) => {
    expect(() => buildOptions(request(q))).toThrow(message);
  });
});

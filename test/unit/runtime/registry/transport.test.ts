import { describe, expect, it } from 'vitest';
import { registryEndpoint } from '../../../../runtime/registry/endpoint.js';
import {
  encodeLine,
  errorLine,
  humanSize,
  progressBar,
  progressLine,
  statusLine,
} from '../../../../runtime/registry/progress.js';
import { pullReference } from '../../../../runtime/registry/pull.js';
import { headersForRedirect } from '../../../../runtime/registry/transport.js';

describe('redirect credential stripping', () => {
  const headers = { Authorization: 'Bearer secret', Cookie: 'c', Accept: 'x', Range: 'bytes=5-' };

  it('keeps credentials on the same origin', () => {
    expect(headersForRedirect(new URL('https://r.io/v2/a'), new URL('https://r.io/other'), headers)).toEqual(
      headers,
    );
  });

  it('drops them for another host, port or scheme', () => {
    for (const to of ['https://storage.example/blob', 'https://r.io:444/x', 'http://r.io/x']) {
      expect(headersForRedirect(new URL('https://r.io/v2/a'), new URL(to), headers)).toEqual({
        Accept: 'x',
        Range: 'bytes=5-',
      });
    }
  });
});

describe('registry endpoints', () => {
  it('speaks HTTPS by default and to Docker Hub through registry-1', () => {
    expect(registryEndpoint('docker.io').base.href).toBe('https://registry-1.docker.io/');
    expect(registryEndpoint('registry.example:5000').base.href).toBe('https://registry.example:5000/');
  });

  it('speaks plain HTTP only to loopback and listed registries', () => {
    for (const host of ['localhost:5000', '127.0.0.1:5000', '127.9.9.9', '[::1]:5000'])
      expect(registryEndpoint(host).insecure).toBe(true);
    expect(registryEndpoint('10.1.2.3:5000', ['10.1.2.3:5000']).base.protocol).toBe('http:');
    expect(registryEndpoint('10.1.2.3:5000', ['10.0.0.0/8']).base.protocol).toBe('http:');
    expect(registryEndpoint('10.1.2.3:5000', ['192.168.0.0/16']).base.protocol).toBe('https:');
  });
});

describe('pull references', () => {
  it('joins fromImage and tag, a digest given as the tag; neither means all tags', () => {
    expect(pullReference('busybox', null)).toEqual({ domain: 'docker.io', path: 'library/busybox' });
    expect(pullReference('busybox:1', '')).toMatchObject({ tag: '1' });
    expect(pullReference('127.0.0.1:5000/a/b', 'v2')).toMatchObject({
      domain: '127.0.0.1:5000',
      path: 'a/b',
      tag: 'v2',
    });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(pullReference('busybox', digest)).toMatchObject({ digest, tag: undefined });
  });
});

describe('progress events', () => {
  it('shapes status, progress and error lines as Docker does', () => {
    expect(statusLine('Pull complete', 'abc')).toEqual({ status: 'Pull complete', id: 'abc' });
    expect(progressLine('Downloading', 'abc', 500, 1000)).toEqual({
      status: 'Downloading',
      progressDetail: { current: 500, total: 1000 },
      progress: `[${'='.repeat(25)}>${' '.repeat(24)}]     500B/1kB`,
      id: 'abc',
    });
    expect(errorLine('boom')).toEqual({ errorDetail: { message: 'boom' }, error: 'boom' });
    expect(encodeLine({ status: 'x' })).toBe('{"status":"x"}\r\n');
  });

  it('prints sizes in decimal units with four significant digits', () => {
    expect(humanSize(1057276)).toBe('1.057MB');
    expect(humanSize(999)).toBe('999B');
    expect(progressBar(10, 10)).toBe(`[${'='.repeat(49)}>]      10B/10B`);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_HOST, parseEndpoint, resolveHost } from '../../../src/client/host.js';
import { isBerthError } from '../../../src/errors/kinds.js';

describe('resolveHost', () => {
  it('prefers the option, then BERTH_HOST, then DOCKER_HOST, then the embedded engine', () => {
    const env = { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'unix:///d.sock' };
    expect(resolveHost({ host: 'unix:///o.sock' }, env)).toMatchObject({
      url: 'unix:///o.sock',
      source: 'option',
    });
    expect(resolveHost({}, env)).toMatchObject({
      url: 'unix:///b.sock',
      source: 'BERTH_HOST',
      fromDefault: false,
    });
    expect(resolveHost({}, { DOCKER_HOST: 'unix:///d.sock' })).toMatchObject({ source: 'DOCKER_HOST' });
    expect(resolveHost({}, {})).toMatchObject({
      url: DEFAULT_ENGINE_HOST,
      source: 'default',
      fromDefault: true,
    });
  });

  it('ignores empty variables', () => {
    expect(resolveHost({}, { BERTH_HOST: ' ', DOCKER_HOST: '' }).source).toBe('default');
  });

  it('reports the default socket path', () => {
    expect(resolveHost({}, {}).endpoint).toEqual({ kind: 'unix', socketPath: '/run/berth/engine.sock' });
  });
});

describe('parseEndpoint', () => {
  it('parses unix sockets and bare absolute paths', () => {
    expect(parseEndpoint('unix:///var/run/docker.sock')).toEqual({
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
    });
    expect(parseEndpoint('/tmp/x.sock')).toEqual({ kind: 'unix', socketPath: '/tmp/x.sock' });
  });

  it('parses tcp with default ports 2375 (plain) and 2376 (TLS)', () => {
    expect(parseEndpoint('tcp://10.0.0.1:1234', {})).toEqual({
      kind: 'tcp',
      hostname: '10.0.0.1',
      port: 1234,
    });
    expect(parseEndpoint('tcp://engine.local', {})).toEqual({
      kind: 'tcp',
      hostname: 'engine.local',
      port: 2375,
    });
    expect(parseEndpoint('tcp://[::1]:99/', {})).toEqual({ kind: 'tcp', hostname: '::1', port: 99 });
  });

  it('uses DOCKER_CERT_PATH certificates when DOCKER_TLS_VERIFY is set', () => {
    const ep = parseEndpoint('tcp://h', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' });
    expect(ep).toEqual({
      kind: 'tcp',
      hostname: 'h',
      port: 2376,
      tls: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', verify: true },
    });
    const home = parseEndpoint('tcp://h:1', { DOCKER_TLS: '1', HOME: '/home/u' });
    expect(home).toMatchObject({ tls: { ca: '/home/u/.docker/ca.pem', verify: false } });
  });

  it.each([
    ['npipe:////./pipe/docker_engine', /named pipes exist only on Windows/],
    ['ssh://user@host', /scheme "ssh" is not supported/],
    ['unix://relative.sock', /absolute socket path/],
    ['tcp://host:99999', /out of range/],
    ['engine.sock', /is not a URL/],
  ])('rejects %s clearly', (raw, message) => {
    let caught: unknown;
    try {
      parseEndpoint(raw, {}, 'linux');
    } catch (err) {
      caught = err;
    }
    expect(isBerthError(caught, 'invalid')).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });

  it('names the flag when the option was wrong', () => {
    expect(() => resolveHost({ host: 'npipe:///x' }, {}, 'linux')).toThrow(/npipe/);
    try {
      resolveHost({ host: 'npipe:///x' }, {}, 'linux');
    } catch (err) {
      expect((err as { context: { location: string } }).context.location).toBe('--host');
    }
  });
});

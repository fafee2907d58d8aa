import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../src/client/image-ref.js';
import { encodeQuery, imageSeg } from '../../../src/client/query.js';
import {
  encodeRegistryAuth,
  inlineAuth,
  loadAllRegistryAuths,
  registryHostOfKey,
} from '../../../src/client/registry-auth.js';

describe('parseImageRef', () => {
  it.each([
    ['busybox', { registry: 'docker.io', repository: 'busybox', tag: undefined, digest: undefined }],
    ['library/busybox:1.36', { registry: 'docker.io', repository: 'library/busybox', tag: '1.36' }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'localhost:5000/app', tag: undefined }],
    ['127.0.0.1:5000/a/b:v1', { registry: '127.0.0.1:5000', repository: '127.0.0.1:5000/a/b', tag: 'v1' }],
    ['localhost/app:x', { registry: 'localhost', repository: 'localhost/app', tag: 'x' }],
    ['ghcr.io/o/i@sha256:abc', { registry: 'ghcr.io', repository: 'ghcr.io/o/i', digest: 'sha256:abc' }],
  ])('%s', (ref, expected) => {
    expect(parseImageRef(ref)).toMatchObject(expected);
  });
});

describe('registry credentials', () => {
  const config = {
    auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('hub:secret').toString('base64') },
      'localhost:5000': { auth: Buffer.from('me:p:w').toString('base64') },
      'https://ghcr.io': { identitytoken: 'tok' },
    },
  };

  it('normalizes auths keys to registry hosts', () => {
    expect(registryHostOfKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(registryHostOfKey('http://localhost:5000/v2/')).toBe('localhost:5000');
  });

  it('decodes base64 user:password (the password may contain colons)', () => {
    expect(inlineAuth(config, 'localhost:5000')).toEqual({
      username: 'me',
      password: 'p:w',
      serveraddress: 'localhost:5000',
    });
    expect(inlineAuth(config, 'docker.io')).toMatchObject({
      username: 'hub',
      serveraddress: 'https://index.docker.io/v1/',
    });
    expect(inlineAuth(config, 'ghcr.io')).toEqual({ identitytoken: 'tok', serveraddress: 'ghcr.io' });
    expect(inlineAuth(config, 'quay.io')).toBeUndefined();
  });

  it('collects every inline credential of a config file for builds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-cfg-'));
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      const all = await loadAllRegistryAuths({ DOCKER_CONFIG: dir });
      expect(Object.keys(all).sort()).toEqual(['ghcr.io', 'https://index.docker.io/v1/', 'localhost:5000']);
      expect(await loadAllRegistryAuths({ DOCKER_CONFIG: join(dir, 'none') })).toEqual({});
      writeFileSync(join(dir, 'config.json'), '{ not json');
      await expect(loadAllRegistryAuths({ DOCKER_CONFIG: dir })).rejects.toMatchObject({ kind: 'invalid' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('encodes X-Registry-Auth as padded URL-safe base64 JSON', () => {
    expect(encodeRegistryAuth(undefined)).toBe('e30=');
    expect(encodeRegistryAuth({ password: '??>>' })).not.toMatch(/[+/]/);
    const decoded = JSON.parse(Buffer.from(encodeRegistryAuth({ username: 'u' }), 'base64url').toString());
    expect(decoded).toEqual({ username: 'u' });
  });
});

describe('query encoding', () => {
  it('repeats arrays, JSON-encodes filters, drops undefined, encodes booleans as 1/0', () => {
    expect(
      encodeQuery({ all: true, size: false, names: ['a', 'b:c'], filters: { label: ['x=y'] }, t: undefined }),
    ).toBe('?all=1&size=0&names=a&names=b%3Ac&filters=%7B%22label%22%3A%5B%22x%3Dy%22%5D%7D');
    expect(encodeQuery({ filters: {} })).toBe('');
  });

  it('keeps / : @ in image path segments', () => {
    expect(imageSeg('localhost:5000/a b@sha256:1')).toBe('localhost:5000/a%20b@sha256:1');
  });
});

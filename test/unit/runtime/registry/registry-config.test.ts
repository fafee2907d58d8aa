import { describe, expect, it } from 'vitest';
import { credentialsFor, decodeRegistryConfig } from '../../../../runtime/registry/registry-auth.js';

const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('X-Registry-Config decoding (docker build)', () => {
  it('reads credentials by server address, dropping anonymous entries', () => {
    const config = decodeRegistryConfig(
      encode({
        '127.0.0.1:5000': { username: 'u', password: 'p', serveraddress: '127.0.0.1:5000' },
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') },
        'empty.example': {},
      }),
    );
    expect(Object.keys(config).sort()).toEqual(['127.0.0.1:5000', 'https://index.docker.io/v1/']);
    expect(config['127.0.0.1:5000']?.password).toBe('p');
    expect(config['https://index.docker.io/v1/']?.username).toBe('hub');
  });

  it('treats an absent, empty or null header as no credentials', () => {
    expect(decodeRegistryConfig(undefined)).toEqual({});
    expect(decodeRegistryConfig(' ')).toEqual({});
    expect(decodeRegistryConfig(encode(null))).toEqual({});
    expect(decodeRegistryConfig(encode({}))).toEqual({});
  });

  it('refuses a malformed header with one clear message', () => {
    expect(() => decodeRegistryConfig('%%%')).toThrow('X-Registry-Config is not base64-encoded JSON');
    expect(() => decodeRegistryConfig(encode([]))).toThrow('X-Registry-Config is not a JSON object');
    expect(() => decodeRegistryConfig(encode({ r: 'x' }))).toThrow(
      'X-Registry-Config: the entry for "r" is not a JSON object',
    );
  });
});

describe('credentialsFor', () => {
  const config = {
    'https://index.docker.io/v1/': { username: 'hub' },
    'http://127.0.0.1:5000/v2/': { username: 'local' },
    'Registry.Example.com': { username: 'ex' },
  };

  it('matches a key by host, ignoring scheme, path and case', () => {
    expect(credentialsFor(config, '127.0.0.1:5000')?.username).toBe('local');
    expect(credentialsFor(config, 'registry.example.com')?.username).toBe('ex');
  });

  it('treats every name of Docker Hub as docker.io', () => {
    expect(credentialsFor(config, 'docker.io')?.username).toBe('hub');
    expect(credentialsFor({ 'registry-1.docker.io': { username: 'r1' } }, 'docker.io')?.username).toBe('r1');
  });

  it('gives nothing for another registry or port', () => {
    expect(credentialsFor(config, '127.0.0.1:5001')).toBeUndefined();
    expect(credentialsFor(config, 'other.example')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parseAuthChallenges } from '../../../../runtime/registry/auth-challenge.js';
import { decodeRegistryAuth } from '../../../../runtime/registry/registry-auth.js';

describe('WWW-Authenticate parsing', () => {
  it('reads a bearer challenge with quoted parameters', () => {
    expect(
      parseAuthChallenges(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/busybox:pull,push',
        },
      },
    ]);
  });

  it('reads several challenges, unquoted values and escapes', () => {
    expect(
      parseAuthChallenges('Basic realm=berth-test, Bearer realm="http://a/t?x=\\"y\\"", error=invalid_token'),
    ).toEqual([
      { scheme: 'basic', params: { realm: 'berth-test' } },
      { scheme: 'bearer', params: { realm: 'http://a/t?x="y"', error: 'invalid_token' } },
    ]);
  });

  it('gives nothing for an absent or empty header', () => {
    expect(parseAuthChallenges(undefined)).toEqual([]);
    expect(parseAuthChallenges('  ')).toEqual([]);
  });
});

describe('X-Registry-Auth decoding', () => {
  const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it('decodes base64url username and password', () => {
    expect(decodeRegistryAuth(encode({ username: 'u', password: 'p?>~', serveraddress: 'r:5000' }))).toEqual({
      username: 'u',
      password: 'p?>~',
      identityToken: undefined,
      registryToken: undefined,
      serverAddress: 'r:5000',
    });
  });

  it('decodes standard base64 and an identity token', () => {
    const header = Buffer.from(JSON.stringify({ identitytoken: 'tok' })).toString('base64');
    expect(decodeRegistryAuth(header)?.identityToken).toBe('tok');
  });

  it('reads the config.json `auth` form', () => {
    const creds = decodeRegistryAuth(encode({ auth: Buffer.from('me:s:ecret').toString('base64') }));
    expect([creds?.username, creds?.password]).toEqual(['me', 's:ecret']);
  });

  it('treats absent, empty and credential-less headers as anonymous', () => {
    expect(decodeRegistryAuth(undefined)).toBeUndefined();
    expect(decodeRegistryAuth('')).toBeUndefined();
    expect(decodeRegistryAuth(encode({}))).toBeUndefined();
    expect(decodeRegistryAuth(encode({ serveraddress: 'x' }))).toBeUndefined();
  });

  it('refuses a header that is not base64 JSON with a clear message', () => {
    expect(() => decodeRegistryAuth('not json!')).toThrow('X-Registry-Auth is not base64-encoded JSON');
    expect(() => decodeRegistryAuth(encode([1]))).toThrow('X-Registry-Auth is not a JSON object');
  });
});

import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../../runtime/errors.js';
import { compareApiVersions, splitVersion } from '../../../../runtime/server/api-version.js';

describe('splitVersion', () => {
  it('takes the prefix off versioned paths', () => {
    expect(splitVersion('/v1.41/containers/json')).toEqual({ path: '/containers/json', version: '1.41' });
    expect(splitVersion('/v1.24/_ping')).toEqual({ path: '/_ping', version: '1.24' });
  });

  it('treats unversioned paths as the maximum', () => {
    expect(splitVersion('/version')).toEqual({ path: '/version', version: '1.41' });
  });

  it('refuses versions out of range with a 400 in Docker words', () => {
    const tooNew = () => splitVersion('/v1.50/version');
    expect(tooNew).toThrow('client version 1.50 is too new. Maximum supported API version is 1.41');
    const tooOld = () => splitVersion('/v1.11/version');
    expect(tooOld).toThrow(/client version 1\.11 is too old\. Minimum supported API version is 1\.12/);
    try {
      tooNew();
    } catch (err) {
      expect((err as EngineError).status).toBe(400);
    }
  });

  it('compares numerically, not as text', () => {
    expect(compareApiVersions('1.9', '1.41')).toBeLessThan(0);
    expect(compareApiVersions('1.41', '1.41')).toBe(0);
    expect(compareApiVersions('2.0', '1.41')).toBeGreaterThan(0);
  });
});

describe('EngineError', () => {
  it('carries the HTTP status of its kind', () => {
    expect(new EngineError('conflict', 'x').status).toBe(409);
    expect(new EngineError('not-modified', '').status).toBe(304);
  });
});

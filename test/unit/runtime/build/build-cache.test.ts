import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BuildCache, type CacheKeyInput, cacheKey } from '../../../../runtime/build/build-cache.js';

const base: CacheKeyInput = {
  parent: 'sha256:aaa',
  instruction: '/bin/sh -c make',
  config: { Env: ['PATH=/bin'] },
  args: ['A=1'],
};

describe('cacheKey', () => {
  it('is stable for the same inputs (args in any order)', () => {
    expect(cacheKey({ ...base, args: ['B=2', 'A=1'] })).toBe(cacheKey({ ...base, args: ['A=1', 'B=2'] }));
  });

  it.each<[string, Partial<CacheKeyInput>]>([
    ['another parent image', { parent: 'sha256:bbb' }],
    ['scratch as parent', { parent: undefined }],
    ['another instruction text', { instruction: '/bin/sh -c make all' }],
    ['another starting config (CVE-2024-24557)', { config: { Env: ['PATH=/bin'], User: 'x' } }],
    ['another build arg value', { args: ['A=2'] }],
    ['one more build arg', { args: ['A=1', 'B=1'] }],
    ['other source content', { sources: 'sha256:ccc' }],
    ['another COPY destination or owner', { detail: '["/b/",null]' }],
    ['another resulting config', { result: { User: 'x' } }],
  ])('changes with %s', (_what, change) => {
    expect(cacheKey({ ...base, ...change })).not.toBe(cacheKey(base));
  });
});

describe('BuildCache', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('persists entries, ignores images that are gone, prunes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-build-cache-'));
    const cache = new BuildCache(dir);
    await cache.init();
    await cache.record('k1', 'sha256:one');
    await cache.record('k2', 'sha256:two');
    const reopened = new BuildCache(dir);
    await reopened.init();
    const exists = (id: string) => id === 'sha256:one';
    expect(reopened.lookup('k1', exists)).toBe('sha256:one');
    expect(reopened.lookup('k2', exists)).toBeUndefined();
    expect(await reopened.prune(false, exists)).toBe(1);
    expect(await reopened.prune(true, exists)).toBe(1);
    expect(reopened.lookup('k1', () => true)).toBeUndefined();
  });
});

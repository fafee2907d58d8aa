import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockProject } from '../../../src/project/project-lock.js';

describe('lockProject', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'berth-lock-test-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('lets one holder at a time in, and the next one after release', async () => {
    const dir = newDir();
    const first = await lockProject('engine', 'demo', { dir });
    const order: string[] = [];
    const second = lockProject('engine', 'demo', { dir }).then((l) => {
      order.push('second');
      return l;
    });
    order.push('first-release');
    first.release();
    (await second).release();
    expect(order).toEqual(['first-release', 'second']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('times out while another live process holds it', async () => {
    const dir = newDir();
    const held = await lockProject('engine', 'demo', { dir });
    await expect(lockProject('engine', 'demo', { dir, timeoutMs: 50 })).rejects.toMatchObject({
      kind: 'timeout',
    });
    held.release();
  });

  it('takes over a lock whose owner is gone', async () => {
    const dir = newDir();
    const first = await lockProject('engine', 'demo', { dir });
    const [file] = readdirSync(dir);
    first.release();
    writeFileSync(join(dir, file), '999999999');
    const lock = await lockProject('engine', 'demo', { dir, timeoutMs: 1000 });
    lock.release();
  });
});

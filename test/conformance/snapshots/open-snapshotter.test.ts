import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinuxHost } from '../../../runtime/host/linux-host.js';
import { openSnapshotter, overlayWorks } from '../../../runtime/snapshots/open-snapshotter.js';
import { mountsUnder } from '../../support/leak-check.js';

describe('choosing the snapshotter of a data root', () => {
  const host = new LinuxHost();
  const ctx = { host, now: Date.now, log: () => undefined };
  let dir: string;
  const saved = process.env.BERTH_SNAPSHOTTER;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-open-snap-'));
    delete process.env.BERTH_SNAPSHOTTER;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.BERTH_SNAPSHOTTER;
    else process.env.BERTH_SNAPSHOTTER = saved;
    expect(mountsUnder(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('probes overlayfs, records the choice and keeps it', async () => {
    const works = await overlayWorks(host, dir);
    const first = await openSnapshotter(ctx, join(dir, 's'));
    expect(first.driver).toBe(works ? 'overlay2' : 'vfs');
    expect(readFileSync(join(dir, 's/driver'), 'utf8').trim()).toBe(first.driver);
    process.env.BERTH_SNAPSHOTTER = first.driver === 'vfs' ? 'overlay2' : 'vfs';
    expect((await openSnapshotter(ctx, join(dir, 's'))).driver).toBe(first.driver);
  });

  it('takes BERTH_SNAPSHOTTER for a new data root, and refuses unknown names', async () => {
    process.env.BERTH_SNAPSHOTTER = 'vfs';
    expect((await openSnapshotter(ctx, join(dir, 'v'))).driver).toBe('vfs');
    process.env.BERTH_SNAPSHOTTER = 'btrfs';
    await expect(openSnapshotter(ctx, join(dir, 'b'))).rejects.toThrow(/must be one of overlay2, vfs/);
  });
});

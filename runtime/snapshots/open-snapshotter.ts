import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineContext } from '../context.js';
import { invalid } from '../errors.js';
import type { Host } from '../host/host.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { CopySnapshotter } from './copy-snapshotter.js';
import { OverlaySnapshotter } from './overlay-snapshotter.js';
import type { Snapshotter } from './snapshotter.js';

const DRIVERS = ['overlay2', 'vfs'] as const;

/** True when overlayfs mounts work with upper and work dirs on the filesystem of `root`. */
export async function overlayWorks(host: Host, root: string): Promise<boolean> {
  const probe = join(root, `probe-${randomBytes(4).toString('hex')}`);
  const [lower, upper, work, merged] = ['l', 'u', 'w', 'm'].map((d) => join(probe, d)) as [
    string,
    string,
    string,
    string,
  ];
  try {
    for (const d of [lower, upper, work, merged]) await mkdir(d, { recursive: true });
    await host.mount({
      type: 'overlay',
      source: 'overlay',
      target: merged,
      options: ['index=off', `lowerdir=${lower}`, `upperdir=${upper}`, `workdir=${work}`],
    });
    await host.unmount(merged);
    return true;
  } catch {
    return false;
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}

/**
 * The snapshotter of a data root: the one recorded there (snapshots of one kind cannot be read
 * by the other), else `BERTH_SNAPSHOTTER` (`overlay2` or `vfs`), else overlayfs when it works
 * on this filesystem and the copying one when it does not (overlay on overlay, old kernels).
 */
export async function openSnapshotter(
  ctx: Pick<EngineContext, 'host' | 'now' | 'log'>,
  root: string,
): Promise<Snapshotter> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const file = join(root, 'driver');
  const recorded = (await readFile(file, 'utf8').catch(() => '')).trim();
  const wanted = process.env.BERTH_SNAPSHOTTER?.trim();
  if (wanted && !(DRIVERS as readonly string[]).includes(wanted)) {
    throw invalid(`BERTH_SNAPSHOTTER must be one of ${DRIVERS.join(', ')}, not ${wanted}`);
  }
  let driver = recorded;
  if (!driver) {
    driver = wanted || ((await overlayWorks(ctx.host, root)) ? 'overlay2' : 'vfs');
    if (driver === 'vfs' && !wanted)
      ctx.log('warn', 'overlayfs does not work on the data root: layers are copied (vfs)', { root });
    await writeFileAtomic(file, `${driver}\n`);
  } else if (wanted && wanted !== recorded) {
    ctx.log('warn', `data root keeps its ${recorded} snapshots; BERTH_SNAPSHOTTER=${wanted} ignored`, {
      root,
    });
  }
  return driver === 'vfs' ? new CopySnapshotter(ctx, root) : new OverlaySnapshotter(ctx, root);
}

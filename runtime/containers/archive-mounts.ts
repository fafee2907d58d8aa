import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { resolveInRoot } from '../archive/scoped-path.js';
import type { VolumeProvider } from '../contracts.js';
import { internal } from '../errors.js';
import type { Host, Mount } from '../host/host.js';
import type { MountPoint } from './container-record.js';

/** True when container path `path` is `dest` or below it. */
const isUnder = (dest: string, path: string) => path === dest || path.startsWith(`${dest}/`);

/**
 * Why a `PUT /archive` into container path `path` (symlinks already resolved) must be refused,
 * in dockerd's words, or undefined when it may write: the mount holding the path decides; a path
 * on no mount is refused only when the root filesystem is read-only.
 */
export function writeRefusal(
  mountPoints: readonly MountPoint[],
  path: string,
  readonlyRootfs: boolean,
): string | undefined {
  let holder: MountPoint | undefined;
  for (const m of mountPoints)
    if (isUnder(m.Destination, path) && (!holder || m.Destination.length > holder.Destination.length))
      holder = m;
  if (holder) return holder.RW ? undefined : 'mounted volume is marked read-only';
  return readonlyRootfs ? 'container rootfs is marked read-only' : undefined;
}

/**
 * The volumes and binds a copy into or out of a stopped container must see, parents before the
 * mounts nested in them. tmpfs mounts are left out: a stopped container has no tmpfs content.
 */
export function copyMounts(mountPoints: readonly MountPoint[]): MountPoint[] {
  const depth = (m: MountPoint) => m.Destination.split('/').length;
  return mountPoints.filter((m) => m.Type !== 'tmpfs').sort((a, b) => depth(a) - depth(b));
}

/** A bind of `source` at `target` as dockerd makes it for a copy: recursive, private, ro when asked. */
export function copyBind(source: string, target: string, readWrite: boolean): Mount {
  // Private, so the lazy unmount afterwards never propagates back to the source's own mounts.
  return { type: 'bind', source, target, options: ['rbind', readWrite ? 'rw' : 'ro', 'rprivate'] };
}

/**
 * Runs `fn` with the container's volumes and binds mounted at their destinations inside `rootfs`
 * (a stopped container's root filesystem, mounted by the caller), as dockerd does for `docker cp`;
 * everything mounted here is unmounted again, and volume uses released, whatever `fn` does.
 */
export async function withCopyMounts<T>(
  host: Host,
  volumes: VolumeProvider,
  containerId: string,
  rootfs: string,
  mountPoints: readonly MountPoint[],
  fn: () => Promise<T>,
): Promise<T> {
  const targets: string[] = [];
  const used: string[] = [];
  try {
    for (const m of copyMounts(mountPoints)) {
      let source = m.Source;
      if (m.Type === 'volume' && m.Name && volumes.mount) {
        const where = { destination: m.Destination, readWrite: m.RW, propagation: m.Propagation };
        source = await volumes.mount(m.Name, containerId, where);
        used.push(m.Name);
      }
      const st = await stat(source).catch(() => undefined);
      if (!st)
        throw internal(
          `error while mounting volume ${posix.normalize(m.Destination)}: ${source}: no such file or directory`,
        );
      // Resolved within the rootfs: an image's symlink must never send the bind onto the host.
      const target = await resolveInRoot(rootfs, m.Destination);
      await ensureMountPoint(target, st.isDirectory());
      await host.mount(copyBind(source, target, m.RW));
      targets.push(target);
    }
    return await fn();
  } finally {
    for (const target of targets.reverse()) await host.unmount(target, { detach: true });
    for (const name of used) await volumes.unmount?.(name, containerId);
  }
}

/** Makes the directory or empty file a bind needs to land on (as the runtime would at start). */
async function ensureMountPoint(target: string, directory: boolean): Promise<void> {
  const existing = await stat(target).catch(() => undefined);
  if (existing) return;
  if (directory) {
    await mkdir(target, { recursive: true, mode: 0o755 });
    return;
  }
  await mkdir(dirname(target), { recursive: true, mode: 0o755 });
  await writeFile(target, '', { mode: 0o644, flag: 'a' });
}

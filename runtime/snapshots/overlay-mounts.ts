import { invalid } from '../errors.js';
import type { Mount } from '../host/host.js';

/** Where a snapshot's directories are, as the mount builder needs them. */
export interface SnapshotDirs {
  /** `active`: writable (upper + work); `view`: read-only. */
  kind: 'active' | 'view';
  /** The snapshot's own directory: the upper dir when active. */
  upper: string;
  /** overlayfs' work dir (active only), on the same filesystem as `upper`. */
  work: string;
  /** The parents' directories, nearest first. */
  lowers: readonly string[];
  /** Further overlay options (`redirect_dir=off`, `metacopy=off` where the kernel turns them on). */
  extra?: readonly string[];
}

/** Mount options must fit in one page (the kernel copies them into a single page). */
export const MAX_MOUNT_DATA = 4095;

/**
 * The mounts that give `target` a snapshot's view, as containerd's overlay `mounts()` does: an
 * active snapshot with no parent is a writable bind of its own dir; a view with one layer is a
 * read-only bind; otherwise overlayfs with `lowerdir` nearest first (plus `upperdir`/`workdir`
 * when writable) and `index=off`, so a layer may be shared by many mounts.
 */
export function overlayMounts(dirs: SnapshotDirs, target: string): Mount[] {
  if (dirs.kind === 'active' && dirs.lowers.length === 0) {
    return [{ type: 'bind', source: dirs.upper, target, options: ['rbind', 'rw'] }];
  }
  const layers = dirs.kind === 'active' ? dirs.lowers : [dirs.upper, ...dirs.lowers];
  if (dirs.kind === 'view' && layers.length === 1) {
    return [{ type: 'bind', source: layers[0] as string, target, options: ['rbind', 'ro'] }];
  }
  for (const dir of layers) {
    if (/[:,]/.test(dir)) throw invalid(`snapshot path ${dir} cannot be used in overlay options`);
  }
  const extra = dirs.extra ?? [];
  const options =
    dirs.kind === 'active'
      ? [
          'index=off',
          ...extra,
          `lowerdir=${layers.join(':')}`,
          `upperdir=${dirs.upper}`,
          `workdir=${dirs.work}`,
        ]
      : ['ro', 'index=off', ...extra, `lowerdir=${layers.join(':')}`];
  if (options.join(',').length > MAX_MOUNT_DATA) {
    throw invalid(`image has too many layers (${layers.length}) for one overlay mount`);
  }
  return [{ type: 'overlay', source: 'overlay', target, options }];
}

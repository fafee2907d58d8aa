import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { tarDirectory } from '../archive/dir-tar.js';
import type { Mount } from '../host/host.js';
import { overlayMounts } from './overlay-mounts.js';
import { SnapshotBase, type SnapshotRecord } from './snapshot-base.js';

/**
 * The overlayfs snapshotter: a snapshot's `fs` holds only its own files (a layer, or a
 * container's upper dir), `work` is overlayfs' work dir; mounts stack the parents' `fs` dirs.
 */
export class OverlaySnapshotter extends SnapshotBase {
  readonly driver = 'overlay2';
  readonly whiteouts = 'overlay' as const;

  protected async populate(dir: string): Promise<void> {
    for (const sub of ['fs', 'work']) await mkdir(join(dir, sub), { recursive: true, mode: 0o755 });
  }

  protected mountsOf(
    _s: SnapshotRecord,
    dir: string,
    lowers: string[],
    readonly: boolean,
    target: string,
  ): Mount[] {
    return overlayMounts(
      { kind: readonly ? 'view' : 'active', upper: join(dir, 'fs'), work: join(dir, 'work'), lowers },
      target,
    );
  }

  /** The upper dir is the diff; overlay whiteouts become `.wh.` entries. */
  diff(key: string): Readable {
    return tarDirectory(this.upperDir(key), { overlayWhiteouts: true, host: this.ctx.host });
  }
}

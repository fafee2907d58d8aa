import { mkdir, readFile } from 'node:fs/promises';
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
  /** Options turning off features that would hide changes from a diff of the upper dir. */
  private extra: string[] = [];

  override async init(): Promise<void> {
    await super.init();
    this.extra = await featuresToDisable();
  }

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
      {
        kind: readonly ? 'view' : 'active',
        upper: join(dir, 'fs'),
        work: join(dir, 'work'),
        lowers,
        extra: this.extra,
      },
      target,
    );
  }

  /** The upper dir is the diff; overlay whiteouts become `.wh.` entries. */
  diff(key: string): Readable {
    return tarDirectory(this.upperDir(key), { overlayWhiteouts: true, host: this.ctx.host });
  }
}

/**
 * With `redirect_dir` or `metacopy` on (kernel defaults some distributions pick), a renamed
 * directory or a chmod leaves only xattrs in the upper dir and commit would lose the content;
 * moby falls back to a naive diff there, berth turns them off for its mounts instead.
 */
async function featuresToDisable(): Promise<string[]> {
  const out: string[] = [];
  for (const feature of ['redirect_dir', 'metacopy']) {
    const value = await readFile(`/sys/module/overlay/parameters/${feature}`, 'utf8').catch(() => 'N');
    if (value.trim() === 'Y') out.push(`${feature}=off`);
  }
  return out;
}

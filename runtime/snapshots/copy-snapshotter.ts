import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { diffTrees } from '../archive/tree-diff.js';
import type { Mount } from '../host/host.js';
import { SnapshotBase, type SnapshotRecord } from './snapshot-base.js';

/**
 * The naive snapshotter for hosts without overlayfs (Docker's `vfs`): every snapshot's `fs` is a
 * full copy of its parent (`cp -a`, reflinks where the filesystem has them) plus its own changes;
 * mounts are binds; diffs compare a snapshot with its parent.
 */
export class CopySnapshotter extends SnapshotBase {
  readonly driver = 'vfs';
  readonly whiteouts = 'apply' as const;

  protected async populate(dir: string, parent: SnapshotRecord | undefined): Promise<void> {
    const fs = join(dir, 'fs');
    await mkdir(fs, { mode: 0o755 });
    if (parent)
      await this.ctx.host.run('cp', ['-a', '--reflink=auto', `${join(this.dir(parent), 'fs')}/.`, `${fs}/`]);
  }

  protected mountsOf(
    _s: SnapshotRecord,
    dir: string,
    _lowers: string[],
    readonly: boolean,
    target: string,
  ): Mount[] {
    return [{ type: 'bind', source: join(dir, 'fs'), target, options: ['rbind', readonly ? 'ro' : 'rw'] }];
  }

  diff(key: string): Readable {
    const parent = this.record(key).parent;
    return diffTrees(parent === undefined ? undefined : this.upperDir(parent), this.upperDir(key));
  }
}

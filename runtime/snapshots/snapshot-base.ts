import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Serial } from '../content/serial.js';
import type { EngineContext } from '../context.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { Mount } from '../host/host.js';
import { readJson, writeJsonAtomic } from '../state/atomic-file.js';
import type { SnapshotInfo, Snapshotter } from './snapshotter.js';

/** A snapshot's record; `id` names its directory (short numeric paths keep mount options small). */
export interface SnapshotRecord extends SnapshotInfo {
  id: number;
}

interface State {
  next: number;
  snapshots: Record<string, SnapshotRecord>;
}

/**
 * What every snapshotter shares: `<root>/<n>/fs` holds a snapshot's files, `<root>/<n>/mnt` is a
 * mount point, metadata lives in one atomically written file, parents cannot be removed under
 * their children. Subclasses say how a new snapshot's directory starts, how it is mounted and
 * how its changes are read back.
 */
export abstract class SnapshotBase implements Snapshotter {
  abstract readonly driver: string;
  abstract readonly whiteouts: 'overlay' | 'apply';
  private state: State = { next: 1, snapshots: {} };
  private readonly serial = new Serial();
  private readonly file: string;

  constructor(
    protected readonly ctx: Pick<EngineContext, 'host' | 'now'>,
    protected readonly root: string,
  ) {
    this.file = join(root, 'metadata.json');
  }

  /** Fills a new active snapshot's directory (`dir`) above `parent`. */
  protected abstract populate(dir: string, parent: SnapshotRecord | undefined): Promise<void>;
  /** Mounts for a snapshot; `lowers` are the parents' `fs` dirs, nearest first. */
  protected abstract mountsOf(
    s: SnapshotRecord,
    dir: string,
    lowers: string[],
    readonly: boolean,
    target: string,
  ): Mount[];
  abstract diff(key: string): Readable;

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    this.state = (await readJson<State>(this.file)) ?? { next: 1, snapshots: {} };
    const known = new Set(Object.values(this.state.snapshots).map((s) => String(s.id)));
    for (const name of await readdir(this.root)) {
      if (/^\d+$/.test(name) && !known.has(name)) await this.removeDir(join(this.root, name));
    }
  }

  protected record(key: string): SnapshotRecord {
    const s = this.state.snapshots[key];
    if (!s) throw notFound(`snapshot ${key} does not exist`);
    return s;
  }

  protected dir(s: SnapshotRecord): string {
    return join(this.root, String(s.id));
  }

  get(key: string): SnapshotInfo | undefined {
    const s = this.state.snapshots[key];
    return s && { key: s.key, parent: s.parent, kind: s.kind, created: s.created };
  }

  list(): SnapshotInfo[] {
    return Object.keys(this.state.snapshots).map((k) => this.get(k) as SnapshotInfo);
  }

  upperDir(key: string): string {
    return join(this.dir(this.record(key)), 'fs');
  }

  mountPoint(key: string): string {
    return join(this.dir(this.record(key)), 'mnt');
  }

  protected lowers(parent: string | undefined): string[] {
    const out: string[] = [];
    for (let p = parent; p !== undefined; p = this.record(p).parent) out.push(this.upperDir(p));
    return out;
  }

  mounts(key: string, target: string, readonly = false): Mount[] {
    const s = this.record(key);
    return this.mountsOf(s, this.dir(s), this.lowers(s.parent), readonly || s.kind === 'committed', target);
  }

  prepare(key: string, parent: string | undefined, target: string): Promise<Mount[]> {
    return this.serial.run(async () => {
      if (this.state.snapshots[key]) throw conflict(`snapshot ${key} already exists`);
      const p = parent === undefined ? undefined : this.record(parent);
      if (p && p.kind !== 'committed') throw invalid(`snapshot parent ${parent} is not committed`);
      const s: SnapshotRecord = {
        key,
        parent,
        kind: 'active',
        created: this.ctx.now(),
        id: this.state.next++,
      };
      const dir = this.dir(s);
      await rm(dir, { recursive: true, force: true });
      await mkdir(join(dir, 'mnt'), { recursive: true, mode: 0o755 });
      try {
        await this.populate(dir, p);
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
      this.state.snapshots[key] = s;
      await this.save();
      return this.mounts(key, target);
    });
  }

  commit(name: string, key: string): Promise<void> {
    return this.serial.run(async () => {
      const s = this.record(key);
      if (s.kind !== 'active') throw invalid(`snapshot ${key} is not active`);
      if (this.state.snapshots[name]) throw conflict(`snapshot ${name} already exists`);
      delete this.state.snapshots[key];
      this.state.snapshots[name] = { ...s, key: name, kind: 'committed' };
      await rm(join(this.dir(s), 'work'), { recursive: true, force: true });
      await this.save();
    });
  }

  async remove(key: string): Promise<void> {
    const gone = await this.serial.run(async () => {
      const s = this.state.snapshots[key];
      if (!s) return undefined;
      const child = Object.values(this.state.snapshots).find((c) => c.parent === key);
      if (child) throw conflict(`snapshot ${key} is in use by ${child.key}`);
      delete this.state.snapshots[key];
      await this.save();
      return s;
    });
    // Outside the queue: once forgotten the directory is nobody's (ids are never reused, and
    // init sweeps a directory a crash left), so a prepare need not wait for a large tree's deletion.
    if (gone) await this.removeDir(this.dir(gone));
  }

  private async removeDir(dir: string): Promise<void> {
    for (const target of await this.ctx.host.mountsUnder(dir))
      await this.ctx.host.unmount(target, { detach: true });
    await rm(dir, { recursive: true, force: true });
  }

  private save(): Promise<void> {
    return writeJsonAtomic(this.file, this.state);
  }
}

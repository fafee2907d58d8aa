import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { VolumeRecord } from '../contracts.js';
import { readJson, writeJsonAtomic } from '../state/atomic-file.js';

/** A volume as stored: the API record plus the containers that have it mounted. */
export interface StoredVolume extends VolumeRecord {
  /** Containers the volume is mounted for (option volumes are mounted while this is non-empty). */
  users: string[];
}

/**
 * Volumes on disk: `<root>/<name>/_data` is the data, `<root>/<name>/volume.json` the
 * metadata, written atomically after the directory exists, so a volume listed is a volume usable.
 */
export class VolumeStore {
  private readonly volumes = new Map<string, StoredVolume>();

  constructor(readonly root: string) {}

  /**
   * Loads every volume. A directory whose metadata never got written (a crash mid-create) is
   * removed — unless something is mounted below it, which is never deleted through.
   */
  async load(hasMounts: (dir: string) => Promise<boolean>): Promise<string[]> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const skipped: string[] = [];
    for (const name of await readdir(this.root)) {
      const meta = await readJson<StoredVolume>(this.metaPath(name)).catch(() => undefined);
      if (meta?.Name === name) this.volumes.set(name, { ...meta, users: meta.users ?? [] });
      else if (await hasMounts(join(this.root, name))) skipped.push(name);
      else await rm(join(this.root, name), { recursive: true, force: true });
    }
    return skipped;
  }

  /** The volume's own directory (metadata and `_data`). */
  dirPath(name: string): string {
    return join(this.root, name);
  }

  get(name: string): StoredVolume | undefined {
    return this.volumes.get(name);
  }

  /** Every volume, by name. */
  all(): StoredVolume[] {
    return [...this.volumes.values()].sort((a, b) => a.Name.localeCompare(b.Name));
  }

  /** The directory containers see. */
  dataPath(name: string): string {
    return join(this.root, name, '_data');
  }

  /** Creates the directory, then the metadata. */
  async create(volume: StoredVolume): Promise<void> {
    await mkdir(this.dataPath(volume.Name), { recursive: true, mode: 0o755 });
    await this.save(volume);
  }

  /** Persists a changed volume. */
  async save(volume: StoredVolume): Promise<void> {
    await writeJsonAtomic(this.metaPath(volume.Name), volume);
    this.volumes.set(volume.Name, volume);
  }

  /** Forgets the metadata first, so a crash midway leaves no half-listed volume. */
  async remove(name: string): Promise<void> {
    await rm(this.metaPath(name), { force: true });
    this.volumes.delete(name);
    await rm(join(this.root, name), { recursive: true, force: true });
  }

  private metaPath(name: string): string {
    return join(this.root, name, 'volume.json');
  }
}

/** Bytes used by a directory tree (files' sizes, not following symlinks). */
export async function treeSize(path: string): Promise<number> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await treeSize(join(path, entry));
  return total;
}

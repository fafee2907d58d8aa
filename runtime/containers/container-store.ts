import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, notFound } from '../errors.js';
import { readJson, writeJsonAtomic } from '../state/atomic-file.js';
import { containersDir } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';

const ID_RE = /^[a-f0-9]{64}$/;

/**
 * The container records: in memory for lookups, each persisted atomically to
 * `containers/<id>/state.json` on every change so a crash never loses or tears one.
 */
export class ContainerStore {
  private readonly byId = new Map<string, ContainerRecord>();
  private readonly byName = new Map<string, string>();

  constructor(private readonly dataRoot: string) {}

  /** Loads every record; directories without a valid state file are reported for cleanup. */
  async load(): Promise<{ loaded: ContainerRecord[]; orphans: string[] }> {
    const dir = containersDir(this.dataRoot);
    const entries = await readdir(dir).catch(() => [] as string[]);
    const loaded: ContainerRecord[] = [];
    const orphans: string[] = [];
    for (const id of entries) {
      if (!ID_RE.test(id)) continue;
      const rec = await readJson<ContainerRecord>(join(dir, id, 'state.json')).catch(() => undefined);
      if (!rec || rec.Id !== id) {
        orphans.push(id);
        continue;
      }
      this.byId.set(id, rec);
      this.byName.set(rec.Name, id);
      loaded.push(rec);
    }
    return { loaded, orphans };
  }

  all(): ContainerRecord[] {
    return [...this.byId.values()];
  }

  /** Full ID > exact name > unique ID prefix, as Docker resolves references. */
  lookup(ref: string): string | undefined {
    if (!ref) return undefined;
    if (this.byId.has(ref)) return ref;
    const byName = this.byName.get(ref.startsWith('/') ? ref : `/${ref}`);
    if (byName) return byName;
    if (!/^[a-f0-9]+$/.test(ref)) return undefined;
    const matches = [...this.byId.keys()].filter((id) => id.startsWith(ref));
    if (matches.length > 1) throw conflict(`multiple IDs found with provided prefix: ${ref}`);
    return matches[0];
  }

  /** The record for a reference, or 404 `No such container`. */
  get(ref: string): ContainerRecord {
    const id = this.lookup(ref);
    const rec = id ? this.byId.get(id) : undefined;
    if (!rec) throw notFound(`No such container: ${ref}`);
    return rec;
  }

  /** The record by full ID, if it still exists. */
  byFullId(id: string): ContainerRecord | undefined {
    return this.byId.get(id);
  }

  nameTaken(name: string): boolean {
    return this.byName.has(name);
  }

  /** Reserves the name (409 when in use) and adds the record. */
  async add(rec: ContainerRecord): Promise<void> {
    const holder = this.byName.get(rec.Name);
    if (holder) {
      throw conflict(
        `Conflict. The container name "${rec.Name}" is already in use by container "${holder}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    this.byId.set(rec.Id, rec);
    this.byName.set(rec.Name, rec.Id);
    await this.save(rec);
  }

  /** Persists a record. */
  async save(rec: ContainerRecord): Promise<void> {
    if (!this.byId.has(rec.Id)) return;
    await writeJsonAtomic(join(containersDir(this.dataRoot), rec.Id, 'state.json'), rec);
  }

  /** Renames (409 when the new name is taken). */
  async rename(rec: ContainerRecord, name: string): Promise<void> {
    const holder = this.byName.get(name);
    if (holder && holder !== rec.Id)
      throw conflict(
        `Conflict. The container name "${name}" is already in use by container "${holder}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    this.byName.delete(rec.Name);
    rec.Name = name;
    this.byName.set(name, rec.Id);
    await this.save(rec);
  }

  /** Forgets the record and deletes its directory. */
  async delete(rec: ContainerRecord): Promise<void> {
    this.forget(rec);
    await this.deleteFiles(rec);
  }

  /** Forgets the record (its name is free at once); its files stay until {@link deleteFiles}. */
  forget(rec: ContainerRecord): void {
    this.byId.delete(rec.Id);
    if (this.byName.get(rec.Name) === rec.Id) this.byName.delete(rec.Name);
  }

  /** Deletes a forgotten record's directory (state, bundle, log). */
  async deleteFiles(rec: ContainerRecord): Promise<void> {
    await rm(join(containersDir(this.dataRoot), rec.Id), { recursive: true, force: true });
  }
}

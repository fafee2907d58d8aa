import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../content/blob-store.js';
import { sha256Digest } from '../content/digest.js';
import { Serial } from '../content/serial.js';
import type { EngineContext } from '../context.js';
import type { ImageConfigFile, ImageRecord } from '../contracts.js';
import { invalid, notFound } from '../errors.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { readJson, writeJsonAtomic } from '../state/atomic-file.js';
import { chainIds } from './chain-id.js';
import { parseImageConfig } from './image-config.js';
import {
  emptyState,
  type ImageEntry,
  type ImageState,
  type LayerEntry,
  referencedBlobs,
  refsOf,
  unreferencedLayers,
} from './image-state.js';
import { LayerStore } from './layer-store.js';
import { familiarKey, parseReference, referenceKey, withDefaultTag } from './reference.js';

const ID_PREFIX = /^(?:sha256:)?([a-f0-9]{1,64})$/;

/**
 * The image store: image configs (blobs whose digest is the image ID), layers by chainID, and
 * references, persisted in one atomically written file. Reads are synchronous from memory;
 * changes are serialized.
 */
export class ImageStore {
  private state: ImageState = emptyState();
  private readonly configs = new Map<string, ImageConfigFile>();
  private readonly serial = new Serial();
  private readonly file: string;
  /** Operations adding layers that no image references yet: garbage collection waits for them. */
  private busy = 0;
  readonly layers: LayerStore;

  constructor(
    private readonly ctx: Pick<EngineContext, 'host' | 'now' | 'log'>,
    readonly blobs: BlobStore,
    readonly snapshots: Snapshotter,
    private readonly root: string,
  ) {
    this.file = join(root, 'state.json');
    this.layers = new LayerStore(
      ctx,
      blobs,
      snapshots,
      () => this.state,
      (layer) =>
        this.mutate((state) => {
          state.layers[layer.chainId] = layer;
        }),
    );
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await rm(this.tmpRoot(), { recursive: true, force: true });
    this.state = (await readJson<ImageState>(this.file)) ?? emptyState();
    for (const id of Object.keys(this.state.images)) {
      try {
        this.configs.set(id, parseImageConfig(await this.blobs.readBuffer(id)).config);
      } catch (err) {
        // A config lost or damaged on disk: the image is dropped rather than the engine refusing to start.
        this.ctx.log('error', 'image config unreadable, image dropped', { id, error: String(err) });
        for (const key of refsOf(this.state, id)) delete this.state.refs[key];
        delete this.state.images[id];
      }
    }
    // Snapshots of layers the state does not know (a crash between unpack and save) go now.
    for (const s of this.snapshots.list()) {
      if (s.kind === 'committed' ? !this.state.layers[s.key] : s.key.startsWith('unpack-')) {
        await this.snapshots.remove(s.key).catch(() => undefined);
      }
    }
    await this.collect();
  }

  /** A scratch directory for loads (same filesystem as the store; emptied at start). */
  tmpRoot(): string {
    return join(this.root, 'tmp');
  }

  /**
   * Runs a change that adds layers before an image references them: collection spares them
   * meanwhile, and collects them if the change fails (a bad import or load leaves nothing).
   */
  async adding<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    let failed = false;
    try {
      return await work();
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      this.busy--;
      if (failed) await this.collect().catch(() => undefined);
    }
  }

  /** Serializes a read-modify-write of the state and saves it. */
  mutate<T>(change: (state: ImageState) => Promise<T> | T): Promise<T> {
    return this.serial.run(async () => {
      const result = await change(this.state);
      await writeJsonAtomic(this.file, this.state);
      return result;
    });
  }

  get snapshot(): Readonly<ImageState> {
    return this.state;
  }

  count(): number {
    return Object.keys(this.state.images).length;
  }

  config(id: string): ImageConfigFile {
    const c = this.configs.get(id);
    if (!c) throw notFound(`No such image: ${id}`);
    return c;
  }

  entry(id: string): ImageEntry {
    const e = this.state.images[id];
    if (!e) throw notFound(`No such image: ${id}`);
    return e;
  }

  record(id: string): ImageRecord {
    const keys = refsOf(this.state, id);
    return {
      id,
      config: this.config(id),
      repoTags: keys.filter((k) => !k.includes('@')).map(familiarKey),
      repoDigests: keys.filter((k) => k.includes('@')).map(familiarKey),
    };
  }

  /** The image a name, digest reference, full or short ID designates (Docker's lookup order). */
  resolveId(ref: string): string {
    const id = this.lookup(ref);
    if (id) return id;
    let shown = ref;
    try {
      shown = familiarKey(referenceKey(withDefaultTag(parseReference(ref))));
    } catch {
      // not a reference: name it as given
    }
    throw notFound(`No such image: ${shown}`);
  }

  private lookup(ref: string): string | undefined {
    const m = ID_PREFIX.exec(ref);
    if (m?.[1]?.length === 64 && this.state.images[`sha256:${m[1]}`]) return `sha256:${m[1]}`;
    try {
      const key = referenceKey(withDefaultTag(parseReference(ref)));
      const id = this.state.refs[key];
      if (id) return id;
    } catch {
      // not a valid reference: maybe a short ID
    }
    if (!m?.[1]) return undefined;
    const matches = Object.keys(this.state.images).filter((id) => id.startsWith(`sha256:${m[1]}`));
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Stores a config whose layers are already in the store; returns the image ID. */
  async addImage(configBytes: Buffer, layers: LayerEntry[], parent?: string): Promise<string> {
    const { config } = parseImageConfig(configBytes);
    const id = sha256Digest(configBytes);
    const chains = chainIds(config.rootfs.diff_ids);
    await this.blobs.writeBuffer(configBytes, id);
    await this.mutate((state) => {
      for (const layer of layers) state.layers[layer.chainId] ??= layer;
      for (const chain of chains) {
        if (!state.layers[chain]) throw invalid(`image config names layer ${chain} that was not loaded`);
      }
      state.images[id] ??= { id, diffIds: config.rootfs.diff_ids, added: this.ctx.now(), parent };
      this.configs.set(id, config);
    });
    return id;
  }

  /** Points a reference at an image; returns the image it pointed at before, if another. */
  tag(id: string, key: string): Promise<string | undefined> {
    return this.mutate((state) => {
      this.entry(id);
      const before = state.refs[key];
      state.refs[key] = id;
      const entry = state.images[id];
      if (entry) entry.tagged = this.ctx.now();
      return before !== id ? before : undefined;
    });
  }

  untag(key: string): Promise<void> {
    return this.mutate((state) => {
      delete state.refs[key];
    });
  }

  /** Drops an image and its references; layers and blobs go in {@link collect}. */
  deleteImage(id: string): Promise<void> {
    return this.mutate((state) => {
      for (const key of refsOf(state, id)) delete state.refs[key];
      delete state.images[id];
      this.configs.delete(id);
    });
  }

  /** Removes layers and blobs no image needs (snapshots with containers above them stay); returns removed chainIDs. */
  async collect(): Promise<string[]> {
    if (this.busy > 0) return [];
    const removed: string[] = [];
    for (const layer of unreferencedLayers(this.state)) {
      try {
        await this.snapshots.remove(layer.chainId);
      } catch {
        continue; // a container's layer sits on it: it goes with that container
      }
      await this.mutate((state) => {
        delete state.layers[layer.chainId];
      });
      removed.push(layer.chainId);
    }
    const keep = referencedBlobs(this.state);
    for (const blob of await this.blobs.list())
      if (!keep.has(blob) && this.busy === 0) await this.blobs.delete(blob);
    return removed;
  }
}

import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type Compression, detectCompression } from '../archive/decompress.js';
import { extractLayer } from '../archive/extract.js';
import type { BlobStore } from '../content/blob-store.js';
import { sha256Digest } from '../content/digest.js';
import { Serial } from '../content/serial.js';
import type { EngineContext } from '../context.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import type { ImageState, LayerEntry } from './image-state.js';

/** Where a layer comes from: a stream to store first, or a blob already in the store. */
export type LayerSource = { stream: Readable } | { blob: string };

/** What is known about a layer before it is read. */
export interface LayerHints {
  /** The expected diffID (from an image config): verified, and lets a known layer be skipped. */
  diffId?: string;
  /** The expected blob digest (from a manifest): verified. */
  blobDigest?: string;
  mediaType?: string;
}

const MEDIA = {
  tar: 'application/vnd.docker.image.rootfs.diff.tar',
  gzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

/** Reads of a layer blob being unpacked: a few large reads rather than many 64 KiB ones. */
const READ_CHUNK = 1024 * 1024;

/**
 * Adds layers: stores the blob as it arrived, unpacks it once into a snapshot keyed by its
 * chainID (verifying the diffID), and records it through `record` (the image store's state).
 */
export class LayerStore {
  constructor(
    private readonly ctx: Pick<EngineContext, 'host'>,
    private readonly blobs: BlobStore,
    private readonly snapshots: Snapshotter,
    private readonly state: () => ImageState,
    private readonly record: (layer: LayerEntry) => Promise<void>,
  ) {}

  private readonly finalize = new Serial();

  /** The chainID a layer with `diffId` would have above `parent`. */
  static chainOf(parent: string | undefined, diffId: string): string {
    return parent === undefined ? diffId : sha256Digest(`${parent} ${diffId}`);
  }

  /** The layer when it is already unpacked (a load skips it: "Already exists"). */
  get(parent: string | undefined, diffId: string): LayerEntry | undefined {
    return this.state().layers[LayerStore.chainOf(parent, diffId)];
  }

  /**
   * Returns the layer above `parent`, unpacking `source` unless the same chain already exists,
   * and records it. Run inside `ImageStore.adding` so collection spares it until an image uses it.
   */
  async ensure(parent: string | undefined, source: LayerSource, hints: LayerHints = {}): Promise<LayerEntry> {
    if (hints.diffId) {
      const known = this.state().layers[LayerStore.chainOf(parent, hints.diffId)];
      if (known) {
        if ('stream' in source) source.stream.resume();
        return known;
      }
    }
    const stored =
      'stream' in source
        ? await this.blobs.write(source.stream, { expected: hints.blobDigest })
        : { digest: source.blob, size: await this.blobs.size(source.blob) };
    // An uncompressed blob's digest is its diffID: a layer seen before is not unpacked again.
    const compression = await this.compressionOf(stored.digest);
    const plainTar = compression === 'none';
    const seen = plainTar ? this.get(parent, stored.digest) : undefined;
    if (seen && (!hints.diffId || hints.diffId === stored.digest)) return seen;
    const key = `unpack-${randomBytes(8).toString('hex')}`;
    await this.snapshots.prepare(key, parent, '/nonexistent');
    try {
      const source = this.blobs.open(stored.digest, { highWaterMark: READ_CHUNK });
      const result = await extractLayer(source, this.snapshots.upperDir(key), {
        host: this.ctx.host,
        expectedDiffId: hints.diffId,
        // The store hashed a plain tar on the way in: its digest is the diffID.
        knownDigest: plainTar ? stored.digest : undefined,
        whiteouts: this.snapshots.whiteouts,
      });
      const chainId = LayerStore.chainOf(parent, result.diffId);
      const mediaType = hints.mediaType ?? mediaTypeOf(compression);
      // Check-and-commit is one step: two loads of the same layer must not both commit it.
      return await this.finalize.run(async () => {
        const existing = this.state().layers[chainId];
        if (existing) {
          await this.snapshots.remove(key);
          return existing;
        }
        await this.snapshots.commit(chainId, key);
        const layer: LayerEntry = {
          chainId,
          diffId: result.diffId,
          parent,
          size: result.size,
          contentSize: result.contentSize,
          blob: stored.digest,
          blobSize: stored.size,
          mediaType,
        };
        await this.record(layer);
        return layer;
      });
    } catch (err) {
      await this.snapshots.remove(key).catch(() => undefined);
      throw err;
    }
  }

  /**
   * A stack of layers bottom first: each one above the previous, opened only when it is not
   * already unpacked (a load of an image sharing layers reads only what is new).
   */
  async ensureStack(
    items: ReadonlyArray<{ open: () => Promise<Readable>; hints: LayerHints }>,
  ): Promise<LayerEntry[]> {
    const out: LayerEntry[] = [];
    let parent: string | undefined;
    for (const { open: openLayer, hints } of items) {
      const layer =
        (hints.diffId ? this.get(parent, hints.diffId) : undefined) ??
        (await this.ensure(parent, { stream: await openLayer() }, hints));
      out.push(layer);
      parent = layer.chainId;
    }
    return out;
  }

  private async compressionOf(blob: string): Promise<Compression> {
    const fh = await open(this.blobs.path(blob), 'r');
    try {
      const head = Buffer.alloc(8);
      await fh.read(head, 0, 8, 0);
      return detectCompression(head);
    } finally {
      await fh.close();
    }
  }
}

/** The media type recorded for a layer blob nobody named one for. */
function mediaTypeOf(kind: Compression): string {
  return kind === 'gzip' ? MEDIA.gzip : kind === 'zstd' ? MEDIA.zstd : MEDIA.tar;
}

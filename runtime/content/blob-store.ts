import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EngineError, invalid, notFound } from '../errors.js';
import { digestHex } from './digest.js';

/** What {@link BlobStore.write} stored. */
export interface StoredBlob {
  digest: string;
  size: number;
}

/** Largest blob accepted unless a caller says otherwise (layers of real images reach GiBs). */
export const DEFAULT_MAX_BLOB = 64 * 1024 ** 3;

/**
 * A content-addressed blob store: `<root>/blobs/sha256/<hex>`. Writes stream to a temp file,
 * are hashed on the way, checked against the expected digest and size bound, then renamed in,
 * so a blob present under a name always has that digest.
 */
export class BlobStore {
  constructor(private readonly root: string) {}

  /** The file holding a blob (the digest is validated first). */
  path(digest: string): string {
    return join(this.root, 'blobs', 'sha256', digestHex(digest));
  }

  async init(): Promise<void> {
    await mkdir(join(this.root, 'blobs', 'sha256'), { recursive: true, mode: 0o700 });
    await mkdir(join(this.root, 'ingest'), { recursive: true, mode: 0o700 });
    // Partial writes from a crash are never referenced: drop them.
    for (const name of await readdir(join(this.root, 'ingest'))) {
      await rm(join(this.root, 'ingest', name), { force: true });
    }
  }

  async has(digest: string): Promise<boolean> {
    try {
      return (await stat(this.path(digest))).isFile();
    } catch {
      return false;
    }
  }

  async size(digest: string): Promise<number> {
    try {
      return (await stat(this.path(digest))).size;
    } catch {
      throw notFound(`blob ${digest} not found`);
    }
  }

  /** Streams `source` into the store. Rejects (and keeps nothing) on a digest mismatch or overflow. */
  async write(source: Readable, options: { expected?: string; maxBytes?: number } = {}): Promise<StoredBlob> {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BLOB;
    if (options.expected) digestHex(options.expected);
    const tmp = join(this.root, 'ingest', randomBytes(8).toString('hex'));
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > maxBytes) throw invalid(`blob exceeds the size limit of ${maxBytes} bytes`);
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp, { mode: 0o600 }),
      );
      const digest = `sha256:${hash.digest('hex')}`;
      if (options.expected && options.expected !== digest) {
        throw invalid(`digest mismatch: expected ${options.expected}, got ${digest}`);
      }
      await rename(tmp, this.path(digest));
      return { digest, size };
    } catch (err) {
      await rm(tmp, { force: true });
      if (err instanceof EngineError) throw err;
      throw invalid(`cannot store blob: ${(err as Error).message}`);
    }
  }

  /** Stores a small blob held in memory (configs, manifests). */
  async writeBuffer(data: Buffer, expected?: string): Promise<StoredBlob> {
    return this.write(Readable.from([data]), { expected });
  }

  /** Reads a blob no larger than `maxBytes` (JSON documents). */
  async readBuffer(digest: string, maxBytes = 4 * 1024 * 1024): Promise<Buffer> {
    const size = await this.size(digest);
    if (size > maxBytes) throw invalid(`blob ${digest} is larger than ${maxBytes} bytes`);
    return readFile(this.path(digest));
  }

  /** A blob's bytes; a larger `highWaterMark` means fewer reads (a layer being unpacked). */
  open(digest: string, options: { highWaterMark?: number } = {}): Readable {
    return createReadStream(this.path(digest), options);
  }

  async delete(digest: string): Promise<void> {
    await rm(this.path(digest), { force: true });
  }

  /** Every stored digest. */
  async list(): Promise<string[]> {
    const names = await readdir(join(this.root, 'blobs', 'sha256'));
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }
}

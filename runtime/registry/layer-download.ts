import { Readable } from 'node:stream';
import type { BlobStore } from '../content/blob-store.js';
import { EngineError } from '../errors.js';
import type { DistributionClient } from './distribution-client.js';
import type { Descriptor } from './manifest.js';
import { type ProgressMessage, progressLine, shortId, statusLine } from './progress.js';

/** Connections per blob: a dropped one is resumed where it stopped, this many times at most. */
const ATTEMPTS = 4;

/**
 * Downloads one layer blob into the content store, verified against the descriptor's digest
 * and bounded by its size, reporting Docker's `Downloading`/`Verifying Checksum`/`Download
 * complete`. A connection dropped mid-way is resumed with a Range request (or, when the
 * registry ignores ranges, the bytes already stored are skipped), so the store sees one stream.
 */
export async function downloadLayer(
  client: DistributionClient,
  blobs: BlobStore,
  layer: Descriptor,
  report: (m: ProgressMessage) => void,
  signal: AbortSignal,
): Promise<void> {
  const id = shortId(layer.digest);
  if (await blobs.has(layer.digest)) {
    report(statusLine('Download complete', id));
    return;
  }
  await blobs.write(Readable.from(resumable(client, layer, report, signal)), {
    expected: layer.digest,
    maxBytes: layer.size,
  });
  report(statusLine('Verifying Checksum', id));
  report(statusLine('Download complete', id));
}

/** The blob's bytes across as many connections as it takes (bounded), with progress about every 1%. */
async function* resumable(
  client: DistributionClient,
  layer: Descriptor,
  report: (m: ProgressMessage) => void,
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  const id = shortId(layer.digest);
  const step = Math.max(32 * 1024, Math.floor(layer.size / 100));
  let current = 0;
  let shown = -step;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await client.openBlob(layer.digest, { signal, from: current });
      // A 200 to a Range request is the whole blob again: skip what is already stored.
      let skip = current > 0 && res.statusCode === 200 ? current : 0;
      for await (const raw of res as AsyncIterable<Buffer>) {
        const chunk = skip ? raw.subarray(Math.min(skip, raw.length)) : raw;
        skip -= raw.length - chunk.length;
        if (!chunk.length) continue;
        current += chunk.length;
        if (current - shown >= step || current === layer.size) {
          shown = current;
          report(progressLine('Downloading', id, current, layer.size));
        }
        yield chunk;
      }
      if (current >= layer.size) return;
      throw new EngineError('unavailable', `connection closed after ${current} of ${layer.size} bytes`);
    } catch (err) {
      const dropped = !(err instanceof EngineError) || err.kind === 'unavailable';
      if (signal.aborted || !dropped || attempt >= ATTEMPTS) {
        throw err instanceof EngineError
          ? err
          : new EngineError('unavailable', `download of ${layer.digest} failed: ${(err as Error).message}`);
      }
      report(statusLine(`Retrying in ${attempt} second${attempt > 1 ? 's' : ''}`, id));
      await new Promise((r) => setTimeout(r, attempt * 1000));
    }
  }
}

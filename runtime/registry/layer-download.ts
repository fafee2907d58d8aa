import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { BlobStore } from '../content/blob-store.js';
import { EngineError } from '../errors.js';
import type { DistributionClient } from './distribution-client.js';
import type { Descriptor } from './manifest.js';
import { type ProgressMessage, progressLine, shortId, statusLine } from './progress.js';

/** Attempts per blob: a dropped connection is retried, a wrong digest is not. */
const ATTEMPTS = 3;

/**
 * Downloads one layer blob into the content store, verified against the descriptor's digest
 * and bounded by its size, reporting Docker's `Downloading`/`Verifying Checksum`/`Download
 * complete`. A connection dropped mid-way is retried a bounded number of times.
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
  for (let attempt = 1; ; attempt++) {
    let dropped = false;
    try {
      const res = await client.openBlob(layer.digest, { signal });
      await blobs.write(Readable.from(counted(res, layer, report, () => (dropped = true))), {
        expected: layer.digest,
        maxBytes: layer.size,
      });
      break;
    } catch (err) {
      const transient = dropped || (err instanceof EngineError && err.kind === 'unavailable');
      if (signal.aborted || !transient || attempt >= ATTEMPTS) throw err;
      report(statusLine(`Retrying in ${attempt} second${attempt > 1 ? 's' : ''}`, id));
      await new Promise((r) => setTimeout(r, attempt * 1000));
    }
  }
  report(statusLine('Verifying Checksum', id));
  report(statusLine('Download complete', id));
}

/** Passes the body through, reporting progress about every 1% and flagging a dropped connection. */
async function* counted(
  res: IncomingMessage,
  layer: Descriptor,
  report: (m: ProgressMessage) => void,
  onDrop: () => void,
): AsyncGenerator<Buffer> {
  const id = shortId(layer.digest);
  const step = Math.max(32 * 1024, Math.floor(layer.size / 100));
  let current = 0;
  let shown = -step;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      current += chunk.length;
      if (current - shown >= step || current === layer.size) {
        shown = current;
        report(progressLine('Downloading', id, current, layer.size));
      }
      yield chunk;
    }
  } catch (err) {
    onDrop();
    throw err;
  }
  if (current < layer.size) {
    onDrop();
    throw new EngineError(
      'unavailable',
      `connection closed after ${current} of ${layer.size} bytes of ${layer.digest}`,
    );
  }
}

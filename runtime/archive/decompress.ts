import type { SpawnOptions } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { invalid } from '../errors.js';
import type { Host } from '../host/host.js';

/** Compression formats recognised by their magic bytes. */
export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

/** Detects the compression of a stream from its first bytes. */
export function detectCompression(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd';
  return 'none';
}

const GUNZIP_CHUNK = 128 * 1024;

const TOOLS: Record<'bzip2' | 'xz' | 'zstd', string> = { bzip2: 'bzip2', xz: 'xz', zstd: 'zstd' };

/**
 * The decompressed bytes of `source`, whatever it is compressed with: gzip in-process,
 * bzip2/xz/zstd through Debian's tools via the host (when one is given), plain passes through.
 */
export async function* decompress(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  host?: Pick<Host, 'spawn'>,
): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < 6) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    head.push(chunk);
    headLength += chunk.length;
  }
  const rest = async function* () {
    yield* head;
    if (done) return;
    for (let next = await it.next(); !next.done; next = await it.next()) {
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  };
  const kind = detectCompression(Buffer.concat(head));
  if (kind === 'none') {
    yield* rest();
    return;
  }
  if (kind === 'gzip') {
    // Larger output chunks than zlib's 16 KiB: each one is a thread-pool round trip.
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
    const feeding = pipeline(Readable.from(rest()), gunzip).catch((err: Error) => gunzip.destroy(err));
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (err) {
      throw invalid(`corrupt gzip data: ${(err as Error).message}`);
    }
    await feeding;
    return;
  }
  if (!host) throw invalid(`${kind}-compressed archives are not supported here`);
  yield* throughTool(host, TOOLS[kind], rest());
}

async function* throughTool(
  host: Pick<Host, 'spawn'>,
  tool: string,
  input: AsyncIterable<Buffer>,
): AsyncGenerator<Buffer> {
  const options: SpawnOptions = { stdio: ['pipe', 'pipe', 'pipe'] };
  const child = host.spawn(tool, ['-dc'], options);
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString().slice(0, 1000);
  });
  if (!child.stdin || !child.stdout) throw invalid(`cannot run ${tool}`);
  const feeding = pipeline(Readable.from(input), child.stdin).catch(() => child.kill('SIGKILL'));
  let drained = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    drained = true;
  } finally {
    // Only a consumer that stopped early kills the tool: after its output ends it may still be
    // exiting, and a kill then would turn a clean exit into a failure.
    if (!drained && child.exitCode === null) child.kill('SIGKILL');
  }
  await feeding;
  if ((await exited) !== 0) throw invalid(`corrupt ${tool} data: ${stderr.trim()}`);
}

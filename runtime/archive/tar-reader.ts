import { invalid } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import { applyPax, BLOCK, isZeroBlock, parseHeader, parsePax, type TarHeader } from './tar-header.js';

/** One entry; its body must be consumed (or ignored) before asking for the next entry. */
export interface TarEntry {
  header: TarHeader;
  body: AsyncIterable<Buffer>;
}

/** Bounds on what a tar stream may contain. */
export interface TarLimits {
  /** Largest PAX or GNU long-name record. */
  maxMetaBytes: number;
  /** Longest path or link name. */
  maxNameLength: number;
  /** Most entries in one archive. */
  maxEntries: number;
  /** Largest sum of entry sizes. */
  maxTotalBytes: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = {
  maxMetaBytes: 1024 * 1024,
  maxNameLength: 4096,
  maxEntries: 2_000_000,
  maxTotalBytes: 64 * 1024 ** 3,
};

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/**
 * Reads a tar stream (ustar, PAX, GNU long names) entry by entry. Metadata records are folded
 * into the entry they describe; bodies are streamed. Ends at the end-of-archive marker or at the
 * end of the input; reads the rest of the input after the marker so a digest of the whole stream
 * (a layer's diffID) covers the trailing padding too.
 */
export async function* readTar(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  limits: Partial<TarLimits> = {},
): AsyncGenerator<TarEntry> {
  const bound = { ...DEFAULT_TAR_LIMITS, ...limits };
  const reader = new ByteReader(source);
  let pax = new Map<string, Buffer>();
  let longName: string | undefined;
  let longLink: string | undefined;
  let entries = 0;
  let total = 0;
  for (;;) {
    const block = await reader.read(BLOCK);
    if (block.length === 0) break;
    if (block.length < BLOCK) throw invalid('unexpected end of archive in a tar header');
    if (isZeroBlock(block)) {
      await reader.drain();
      break;
    }
    const raw = parseHeader(block);
    if (raw.size > bound.maxTotalBytes - total) {
      throw invalid(`archive exceeds the size limit of ${bound.maxTotalBytes} bytes`);
    }
    total += raw.size;
    if (raw.type === 'pax' || raw.type === 'pax-global' || raw.type.startsWith('gnu-')) {
      if (raw.size > bound.maxMetaBytes)
        throw invalid(`tar metadata record of ${raw.size} bytes is too large`);
      const data = await reader.readExact(raw.size, 'a tar metadata record');
      await reader.skip(padding(raw.size), 'tar padding');
      if (raw.type === 'pax') pax = new Map([...pax, ...parsePax(data)]);
      else if (raw.type === 'gnu-longname') longName = cString(data);
      else if (raw.type === 'gnu-longlink') longLink = cString(data);
      continue;
    }
    if (++entries > bound.maxEntries) throw invalid(`archive has more than ${bound.maxEntries} entries`);
    let header = applyPax(raw, pax);
    if (longName !== undefined && !pax.has('path')) header = { ...header, name: longName };
    if (longLink !== undefined && !pax.has('linkpath')) header = { ...header, linkname: longLink };
    pax = new Map();
    longName = undefined;
    longLink = undefined;
    if (header.name.length > bound.maxNameLength || header.linkname.length > bound.maxNameLength) {
      throw invalid(`tar entry name longer than ${bound.maxNameLength} characters`);
    }
    if (header.name.includes('\0') || header.linkname.includes('\0')) {
      throw invalid('tar entry name contains a NUL byte');
    }
    // Links, directories and devices carry no data whatever their size field says.
    const size = header.type === 'file' || header.type === 'unsupported' ? header.size : 0;
    let left = size;
    const body = (async function* () {
      for await (const chunk of reader.chunks(left, `the data of ${header.name}`)) {
        left -= chunk.length;
        yield chunk;
      }
    })();
    yield { header: { ...header, size }, body };
    // Whatever the consumer left unread is skipped.
    await reader.skip(left, `the data of ${header.name}`);
    await reader.skip(padding(size), 'tar padding');
  }
}

function cString(data: Buffer): string {
  const nul = data.indexOf(0);
  return data.subarray(0, nul === -1 ? data.length : nul).toString('utf8');
}

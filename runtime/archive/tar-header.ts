import { invalid } from '../errors.js';

/** The kinds of tar entries berth distinguishes. */
export type TarEntryType =
  | 'file'
  | 'link'
  | 'symlink'
  | 'char'
  | 'block'
  | 'directory'
  | 'fifo'
  | 'pax'
  | 'pax-global'
  | 'gnu-longname'
  | 'gnu-longlink'
  | 'unsupported';

/** One tar header, after PAX and GNU long-name records have been folded in. */
export interface TarHeader {
  name: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch (fractional from PAX). */
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes from PAX `SCHILY.xattr.*` records. */
  xattrs: Record<string, Buffer>;
  /** The raw type flag (for messages about unsupported entries). */
  flag: string;
}

export const BLOCK = 512;

const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'link',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'directory',
  '6': 'fifo',
  x: 'pax',
  g: 'pax-global',
  L: 'gnu-longname',
  K: 'gnu-longlink',
};

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? length : nul).toString('utf8');
}

/** Octal, or GNU base-256 when the high bit of the first byte is set. */
function numeric(block: Buffer, start: number, length: number, what: string): number {
  const field = block.subarray(start, start + length);
  if ((field[0] ?? 0) & 0x80) {
    if ((field[0] ?? 0) & 0x40) throw invalid(`negative ${what} in tar header`);
    let value = (field[0] ?? 0) & 0x3f;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    if (!Number.isSafeInteger(value)) throw invalid(`${what} out of range in tar header`);
    return value;
  }
  const digits = text(block, start, length).trim();
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) throw invalid(`malformed ${what} in tar header`);
  return Number.parseInt(digits, 8);
}

/** True for the all-zero block that marks the end of an archive. */
export function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/** The header checksum: the byte sum with the checksum field read as spaces. */
export function headerChecksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  return sum;
}

/** Parses one 512-byte ustar/GNU header; checks its checksum. */
export function parseHeader(block: Buffer): TarHeader {
  if (numeric(block, 148, 8, 'checksum') !== headerChecksum(block)) {
    throw invalid('tar header checksum mismatch (not a tar archive, or corrupt)');
  }
  const flag = String.fromCharCode(block[156] ?? 0);
  const magic = text(block, 257, 6);
  const prefix = magic.startsWith('ustar') && magic !== 'ustar ' ? text(block, 345, 155) : '';
  const name = text(block, 0, 100);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    type: TYPES[flag] ?? 'unsupported',
    mode: numeric(block, 100, 8, 'mode') & 0o7777,
    uid: numeric(block, 108, 8, 'uid'),
    gid: numeric(block, 116, 8, 'gid'),
    size: numeric(block, 124, 12, 'size'),
    mtime: numeric(block, 136, 12, 'mtime'),
    linkname: text(block, 157, 100),
    uname: text(block, 265, 32),
    gname: text(block, 297, 32),
    devmajor: numeric(block, 329, 8, 'devmajor'),
    devminor: numeric(block, 337, 8, 'devminor'),
    xattrs: {},
    flag,
  };
}

/** Parses PAX records (`<len> <key>=<value>\n`), bounded by the caller. */
export function parsePax(data: Buffer): Map<string, Buffer> {
  const records = new Map<string, Buffer>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = Number.parseInt(data.subarray(pos, space).toString('ascii'), 10);
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) {
      throw invalid('malformed PAX header record');
    }
    const record = data.subarray(space + 1, pos + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq === -1) throw invalid('malformed PAX header record');
    records.set(record.subarray(0, eq).toString('utf8'), record.subarray(eq + 1));
    pos += len;
  }
  return records;
}

/** Folds PAX records into a header (path, linkpath, size, ids, mtime, xattrs). */
export function applyPax(header: TarHeader, pax: Map<string, Buffer>): TarHeader {
  const out = { ...header, xattrs: { ...header.xattrs } };
  const num = (key: string): number | undefined => {
    const raw = pax.get(key)?.toString('utf8');
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw invalid(`malformed PAX ${key}: ${raw.slice(0, 40)}`);
    return n;
  };
  const path = pax.get('path');
  if (path) out.name = path.toString('utf8');
  const link = pax.get('linkpath');
  if (link) out.linkname = link.toString('utf8');
  out.size = num('size') ?? out.size;
  out.uid = num('uid') ?? out.uid;
  out.gid = num('gid') ?? out.gid;
  out.mtime = num('mtime') ?? out.mtime;
  if (!Number.isSafeInteger(out.size)) throw invalid('PAX size out of range');
  for (const [key, value] of pax) {
    if (key.startsWith('SCHILY.xattr.')) out.xattrs[key.slice('SCHILY.xattr.'.length)] = value;
  }
  return out;
}

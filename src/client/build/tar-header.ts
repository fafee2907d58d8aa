/** One entry of a tar archive, as far as berth writes them. */
export interface TarEntry {
  /** Path inside the archive, `/`-separated, no leading slash; directories without trailing slash. */
  name: string;
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname?: string;
  uid?: number;
  gid?: number;
}

const BLOCK = 512;
const TYPE_FLAGS = { file: '0', directory: '5', symlink: '2' } as const;

/** Two zero blocks: the end of an archive. */
export const TAR_END = Buffer.alloc(BLOCK * 2);

/** Zero bytes that pad `size` bytes of content to a whole block. */
export function tarPadding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest ? Buffer.alloc(BLOCK - rest) : Buffer.alloc(0);
}

/**
 * The header block(s) of an entry: a ustar header, preceded by a PAX extended header when the
 * name or link does not fit ustar (long or non-ASCII) or the size exceeds 8 GiB.
 */
export function tarHeader(entry: TarEntry): Buffer {
  const name = entry.type === 'directory' ? `${entry.name}/` : entry.name;
  const pax: Record<string, string> = {};
  if (!fitsUstar(name, 100)) pax.path = name;
  if (entry.linkname && !fitsUstar(entry.linkname, 100)) pax.linkpath = entry.linkname;
  if (entry.size > 0o77777777777) pax.size = String(entry.size);
  const main = ustar({
    name: pax.path ? truncateAscii(name) : name,
    typeflag: TYPE_FLAGS[entry.type],
    mode: entry.mode & 0o7777,
    size: pax.size ? 0 : entry.size,
    mtime: Math.floor(entry.mtime),
    linkname: pax.linkpath ? truncateAscii(entry.linkname ?? '') : (entry.linkname ?? ''),
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
  });
  if (!Object.keys(pax).length) return main;
  const body = Buffer.from(
    Object.entries(pax)
      .map(([k, v]) => paxRecord(k, v))
      .join(''),
    'utf8',
  );
  const paxHeader = ustar({
    name: truncateAscii(`PaxHeaders/${name}`),
    typeflag: 'x',
    mode: 0o644,
    size: body.length,
    mtime: Math.floor(entry.mtime),
    linkname: '',
    uid: 0,
    gid: 0,
  });
  return Buffer.concat([paxHeader, body, tarPadding(body.length), main]);
}

function fitsUstar(s: string, max: number): boolean {
  return Buffer.byteLength(s) <= max && /^[\x20-\x7e]*$/.test(s);
}

function truncateAscii(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '_').slice(0, 99);
}

/** A PAX record: `<length> <key>=<value>\n`, where length counts itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const base = Buffer.byteLength(rest);
  let total = base + 1;
  while (base + String(total).length !== total) total++;
  return `${total}${rest}`;
}

interface UstarFields {
  name: string;
  typeflag: string;
  mode: number;
  size: number;
  mtime: number;
  linkname: string;
  uid: number;
  gid: number;
}

function ustar(f: UstarFields): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(f.name, 0, 100, 'utf8');
  octal(b, f.mode, 100, 8);
  octal(b, f.uid, 108, 8);
  octal(b, f.gid, 116, 8);
  octal(b, f.size, 124, 12);
  octal(b, f.mtime, 136, 12);
  b.write(f.typeflag, 156, 1, 'ascii');
  b.write(f.linkname, 157, 100, 'utf8');
  b.write('ustar\x0000', 257, 8, 'ascii');
  b.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  octal(b, sum, 148, 7);
  return b;
}

/** Writes `value` as zero-padded octal in `width - 1` digits followed by NUL. */
function octal(b: Buffer, value: number, offset: number, width: number): void {
  b.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
}

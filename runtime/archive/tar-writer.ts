import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { BLOCK, headerChecksum, type TarEntryType } from './tar-header.js';

/** What the writer needs to describe an entry. */
export interface TarWriteHeader {
  name: string;
  type: Extract<TarEntryType, 'file' | 'link' | 'symlink' | 'directory' | 'fifo' | 'char' | 'block'>;
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  /** Seconds since the epoch. */
  mtime?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  xattrs?: Record<string, Buffer>;
}

const FLAGS: Record<TarWriteHeader['type'], string> = {
  file: '0',
  link: '1',
  symlink: '2',
  char: '3',
  block: '4',
  directory: '5',
  fifo: '6',
};

function octal(block: Buffer, value: number, start: number, length: number): boolean {
  const digits = Math.floor(value).toString(8);
  if (digits.length > length - 1) return false;
  block.write(`${digits.padStart(length - 1, '0')}\0`, start, length, 'ascii');
  return true;
}

function paxRecord(key: string, value: Buffer | string): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), Buffer.from(value), Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

function block(h: TarWriteHeader, flag: string, size: number, name: string, link: string): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(name, 0, 100, 'utf8');
  octal(b, h.mode ?? 0o644, 100, 8);
  octal(b, h.uid ?? 0, 108, 8);
  octal(b, h.gid ?? 0, 116, 8);
  octal(b, size, 124, 12);
  octal(b, h.mtime ?? 0, 136, 12);
  b.write(flag, 156, 1, 'ascii');
  b.write(link, 157, 100, 'utf8');
  b.write('ustar\x0000', 257, 8, 'binary');
  octal(b, h.devmajor ?? 0, 329, 8);
  octal(b, h.devminor ?? 0, 337, 8);
  b.write(`${headerChecksum(b).toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return b;
}

/** Encodes one header (with a PAX record first when a field does not fit ustar). */
export function encodeHeader(h: TarWriteHeader): Buffer {
  const size = h.type === 'file' ? (h.size ?? 0) : 0;
  const records: Buffer[] = [];
  const nameFits = Buffer.byteLength(h.name) <= 100;
  const link = h.linkname ?? '';
  if (!nameFits) records.push(paxRecord('path', h.name));
  if (Buffer.byteLength(link) > 100) records.push(paxRecord('linkpath', link));
  if (size > 0o77777777777) records.push(paxRecord('size', String(size)));
  if ((h.uid ?? 0) > 0o7777777) records.push(paxRecord('uid', String(h.uid)));
  if ((h.gid ?? 0) > 0o7777777) records.push(paxRecord('gid', String(h.gid)));
  for (const [key, value] of Object.entries(h.xattrs ?? {}))
    records.push(paxRecord(`SCHILY.xattr.${key}`, value));
  const main = block(
    { ...h, uid: Math.min(h.uid ?? 0, 0o7777777), gid: Math.min(h.gid ?? 0, 0o7777777) },
    FLAGS[h.type],
    Math.min(size, 0o77777777777),
    nameFits ? h.name : h.name.slice(0, 99),
    link.length <= 100 ? link : link.slice(0, 99),
  );
  if (records.length === 0) return main;
  const pax = Buffer.concat(records);
  const paxHeader = block({ name: 'PaxHeader', type: 'file', mode: 0o644 }, 'x', pax.length, 'PaxHeader', '');
  return Buffer.concat([paxHeader, pax, Buffer.alloc((BLOCK - (pax.length % BLOCK)) % BLOCK), main]);
}

/**
 * Writes a tar stream with backpressure: `await add(...)` per entry, then `finish()`. The
 * readable side is `stream`; a failure passed to `abort` ends it with that error.
 */
export class TarWriter {
  readonly stream = new PassThrough({ highWaterMark: 256 * 1024 });

  private async write(chunk: Buffer): Promise<void> {
    if (this.stream.destroyed) throw new Error('tar stream closed by the reader');
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Adds an entry; a file's body is a buffer or a stream of exactly `size` bytes. */
  async add(header: TarWriteHeader, body?: Buffer | Readable): Promise<void> {
    const size = header.type === 'file' ? (header.size ?? (Buffer.isBuffer(body) ? body.length : 0)) : 0;
    await this.write(encodeHeader({ ...header, size }));
    if (size === 0) return;
    let written = 0;
    if (Buffer.isBuffer(body)) {
      await this.write(body);
      written = body.length;
    } else if (body) {
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        const room = size - written;
        if (room <= 0) break;
        await this.write(buf.length > room ? buf.subarray(0, room) : buf);
        written += Math.min(buf.length, room);
      }
    }
    // A file that shrank while being read is padded so the archive stays well-formed.
    if (written < size) await this.write(Buffer.alloc(size - written));
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) await this.write(Buffer.alloc(pad));
  }

  /** Writes the end-of-archive marker and ends the stream. */
  async finish(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    this.stream.end();
  }

  abort(err: Error): void {
    this.stream.destroy(err);
  }
}

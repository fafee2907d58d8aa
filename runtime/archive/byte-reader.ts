import { invalid } from '../errors.js';

/**
 * Pulls exact byte counts out of a chunked async source (a request body, a file, a gunzip
 * stream), so the tar parser can ask for "512 bytes" without caring how the chunks fell.
 */
export class ByteReader {
  private readonly iterator: AsyncIterator<Buffer | Uint8Array | string>;
  private pending: Buffer[] = [];
  private buffered = 0;
  private ended = false;

  constructor(source: AsyncIterable<Buffer | Uint8Array | string>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.buffered < n && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      if (chunk.length === 0) continue;
      this.pending.push(chunk);
      this.buffered += chunk.length;
    }
  }

  private take(n: number): Buffer {
    const all = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return head;
  }

  /** Up to `n` bytes; fewer only at the end of the source. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    return this.take(Math.min(n, this.buffered));
  }

  /** Exactly `n` bytes or an error naming what was being read. */
  async readExact(n: number, what: string): Promise<Buffer> {
    const buf = await this.read(n);
    if (buf.length < n) throw invalid(`unexpected end of archive in ${what}`);
    return buf;
  }

  /** The next `n` bytes as a stream of chunks, without buffering them all. */
  async *chunks(n: number, what: string): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buffered === 0) await this.fill(1);
      if (this.buffered === 0) throw invalid(`unexpected end of archive in ${what}`);
      const chunk = this.take(Math.min(left, this.buffered));
      left -= chunk.length;
      yield chunk;
    }
  }

  /** Skips `n` bytes. */
  async skip(n: number, what: string): Promise<void> {
    // Padding and unread bodies of small entries are usually buffered already: no generator.
    if (n <= this.buffered) {
      if (n > 0) this.take(n);
      return;
    }
    for await (const _ of this.chunks(n, what)) {
      // discarded
    }
  }

  /** Reads and discards everything left (trailing padding still counts towards a digest). */
  async drain(): Promise<void> {
    this.pending = [];
    this.buffered = 0;
    while (!this.ended) {
      const next = await this.iterator.next();
      if (next.done) this.ended = true;
    }
  }
}

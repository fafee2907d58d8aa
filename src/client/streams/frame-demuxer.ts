/** Stream ids of the multiplexed framing: 0 stdin, 1 stdout, 2 stderr, 3 the engine's own errors. */
export type StreamId = 0 | 1 | 2 | 3;

/** Thrown for a frame header that cannot be valid (the stream is probably a raw TTY stream). */
export class FrameError extends Error {}

/**
 * Incremental parser of the Engine API's multiplexed stream: frames of an 8-byte header
 * `[type, 0, 0, 0, size (big-endian u32)]` followed by `size` bytes. Chunks may split headers and
 * payloads anywhere; payloads are handed on as they arrive, so frames of any size cost no buffering.
 */
export class FrameDemuxer {
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private remaining = 0;
  private stream: StreamId = 1;
  private readonly onData: (stream: StreamId, data: Buffer) => void;

  /** `onData` receives each payload piece with the stream it belongs to. */
  constructor(onData: (stream: StreamId, data: Buffer) => void) {
    this.onData = onData;
  }

  /** Feeds the next chunk of the stream. Throws {@link FrameError} on an impossible header. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        this.remaining -= take;
        this.onData(this.stream, chunk.subarray(at, at + take));
        at += take;
        continue;
      }
      const take = Math.min(8 - this.headerFill, chunk.length - at);
      chunk.copy(this.header, this.headerFill, at, at + take);
      this.headerFill += take;
      at += take;
      if (this.headerFill < 8) return;
      this.headerFill = 0;
      const type = this.header[0]!;
      if (type > 3 || this.header[1] || this.header[2] || this.header[3]) {
        throw new FrameError(`malformed multiplexed stream: bad frame header ${this.header.toString('hex')}`);
      }
      this.stream = type as StreamId;
      this.remaining = this.header.readUInt32BE(4);
    }
  }

  /** True when the stream stopped inside a frame (a truncated answer). */
  get midFrame(): boolean {
    return this.headerFill > 0 || this.remaining > 0;
  }
}

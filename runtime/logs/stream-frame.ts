/** Stream types of Docker's multiplexed framing. */
export const STREAM = { stdin: 0, stdout: 1, stderr: 2 } as const;

/**
 * One frame of Docker's multiplexed stream format: `[type,0,0,0,size(uint32 BE)]` then the
 * payload. Used whenever the container has no TTY.
 */
export function frame(stream: 0 | 1 | 2, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Splits a buffer of frames into complete frames and the unconsumed rest (for parsing and tests). */
export function parseFrames(buf: Buffer): {
  frames: Array<{ stream: number; payload: Buffer }>;
  rest: Buffer;
} {
  const frames: Array<{ stream: number; payload: Buffer }> = [];
  let off = 0;
  while (buf.length - off >= 8) {
    const size = buf.readUInt32BE(off + 4);
    if (buf.length - off - 8 < size) break;
    frames.push({ stream: buf[off] as number, payload: buf.subarray(off + 8, off + 8 + size) });
    off += 8 + size;
  }
  return { frames, rest: buf.subarray(off) };
}

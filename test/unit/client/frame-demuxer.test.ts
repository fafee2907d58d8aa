import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { demultiplex } from '../../../src/client/streams/demultiplex.js';
import { FrameDemuxer, FrameError, type StreamId } from '../../../src/client/streams/frame-demuxer.js';

function frame(stream: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Feeds `bytes` in the given pieces and collects each stream's bytes. */
function feed(pieces: Buffer[]): Record<number, Buffer> {
  const out: Record<number, Buffer[]> = { 1: [], 2: [], 3: [] };
  const demuxer = new FrameDemuxer((id: StreamId, data) => out[id]!.push(Buffer.from(data)));
  for (const p of pieces) demuxer.push(p);
  expect(demuxer.midFrame).toBe(false);
  return { 1: Buffer.concat(out[1]!), 2: Buffer.concat(out[2]!), 3: Buffer.concat(out[3]!) };
}

const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const stream = Buffer.concat([
  frame(1, Buffer.from('hello ')),
  frame(2, Buffer.from('oops\n')),
  frame(1, Buffer.alloc(0)),
  frame(1, binary),
  frame(2, Buffer.from('é✓ multibyte\n')),
  frame(3, Buffer.from('engine says no')),
  frame(1, Buffer.from('world\n')),
]);
const expected = {
  1: Buffer.concat([Buffer.from('hello '), binary, Buffer.from('world\n')]),
  2: Buffer.from('oops\né✓ multibyte\n'),
  3: Buffer.from('engine says no'),
};

describe('FrameDemuxer', () => {
  it('parses a whole stream in one chunk', () => {
    expect(feed([stream])).toEqual(expected);
  });

  it('gives the same bytes when the stream is split at every possible offset', () => {
    for (let at = 0; at <= stream.length; at++) {
      expect(feed([stream.subarray(0, at), stream.subarray(at)])).toEqual(expected);
    }
  });

  it('gives the same bytes when split at every pair of offsets', () => {
    for (let a = 0; a <= stream.length; a += 7) {
      for (let b = a; b <= stream.length; b += 11) {
        expect(feed([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)])).toEqual(expected);
      }
    }
  });

  it('gives the same bytes fed one byte at a time', () => {
    const pieces = Array.from(stream, (_, i) => stream.subarray(i, i + 1));
    expect(feed(pieces)).toEqual(expected);
  });

  it('passes a frame larger than any chunk without needing it whole', () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0x61);
    const bytes = frame(1, big);
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 65_531) pieces.push(bytes.subarray(i, i + 65_531));
    expect(feed(pieces)[1]!.equals(big)).toBe(true);
  });

  it('reports a truncated stream as mid-frame', () => {
    const demuxer = new FrameDemuxer(() => {});
    demuxer.push(frame(1, Buffer.from('abcdef')).subarray(0, 11));
    expect(demuxer.midFrame).toBe(true);
  });

  it('rejects a header that cannot be a frame (a raw TTY stream read as multiplexed)', () => {
    const demuxer = new FrameDemuxer(() => {});
    expect(() => demuxer.push(Buffer.from('hello world, this is raw'))).toThrow(FrameError);
  });
});

describe('demultiplex', () => {
  const collect = async (r: Readable) => {
    const chunks: Buffer[] = [];
    for await (const c of r) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };

  it('splits a multiplexed stream into stdout and stderr', async () => {
    const source = Readable.from([stream.subarray(0, 13), stream.subarray(13)]);
    const { stdout, stderr } = demultiplex(source, false, (e) => e as Error);
    const [out, err] = await Promise.all([collect(stdout), collect(stderr)]);
    expect(out).toEqual(expected[1]);
    expect(err).toEqual(Buffer.concat([expected[2], expected[3]]));
  });

  it('passes a raw TTY stream through as stdout and ends stderr', async () => {
    const { stdout, stderr } = demultiplex(
      Readable.from([Buffer.from('raw\r\nbytes')]),
      true,
      (e) => e as Error,
    );
    expect((await collect(stdout)).toString()).toBe('raw\r\nbytes');
    expect((await collect(stderr)).length).toBe(0);
  });

  it('fails both streams when the source ends inside a frame', async () => {
    const source = Readable.from([stream.subarray(0, 10)]);
    const { stdout, stderr } = demultiplex(
      source,
      false,
      (e) => new Error(`mapped: ${(e as Error).message}`),
    );
    stderr.resume();
    await expect(collect(stdout)).rejects.toThrow(/mapped: .*middle of a frame/);
  });
});

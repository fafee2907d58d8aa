import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompress, detectCompression } from '../../../../runtime/archive/decompress.js';
import { LinuxHost } from '../../../../runtime/host/linux-host.js';

const collect = async (source: AsyncIterable<Buffer>) => {
  const chunks: Buffer[] = [];
  for await (const c of source) chunks.push(c);
  return Buffer.concat(chunks);
};
const data = Buffer.from('layer bytes '.repeat(1000));

describe('decompression by magic bytes', () => {
  it('detects formats', () => {
    expect(detectCompression(gzipSync(data))).toBe('gzip');
    expect(detectCompression(Buffer.from('BZh91AY'))).toBe('bzip2');
    expect(detectCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))).toBe('xz');
    expect(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe('zstd');
    expect(detectCompression(data)).toBe('none');
  });

  it('passes plain data through and gunzips in-process, also split into tiny chunks', async () => {
    expect(await collect(decompress(Readable.from([data])))).toEqual(data);
    const gz = gzipSync(data);
    const tiny = Array.from({ length: gz.length }, (_, i) => gz.subarray(i, i + 1));
    expect(await collect(decompress(Readable.from(tiny)))).toEqual(data);
  });

  it('decompresses xz through the host, and reports corrupt data', async () => {
    const xz = execFileSync('xz', ['-c'], { input: data });
    expect(await collect(decompress(Readable.from([xz]), new LinuxHost()))).toEqual(data);
    const broken = Buffer.concat([xz.subarray(0, 20), Buffer.alloc(50)]);
    await expect(collect(decompress(Readable.from([broken]), new LinuxHost()))).rejects.toThrow(
      /corrupt xz data/,
    );
    await expect(collect(decompress(Readable.from([xz])))).rejects.toThrow(/not supported/);
  });

  it('decompresses zstd layers (containerd and BuildKit write them) through the host', async () => {
    const zst = execFileSync('zstd', ['-c', '-q'], { input: data });
    expect(detectCompression(zst)).toBe('zstd');
    expect(await collect(decompress(Readable.from([zst]), new LinuxHost()))).toEqual(data);
    const broken = Buffer.concat([zst.subarray(0, 12), Buffer.alloc(40)]);
    await expect(collect(decompress(Readable.from([broken]), new LinuxHost()))).rejects.toThrow(/zstd/);
  });

  it('reports corrupt gzip data', async () => {
    const gz = gzipSync(data);
    await expect(collect(decompress(Readable.from([gz.subarray(0, 30)])))).rejects.toThrow(/corrupt gzip/);
  });
});

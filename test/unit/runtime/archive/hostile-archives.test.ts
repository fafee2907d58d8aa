import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractLayer } from '../../../../runtime/archive/extract.js';
import { LinuxHost } from '../../../../runtime/host/linux-host.js';
import { tarOf, tgzOf } from '../../../fixtures/archives/build-tar.js';
import { entryCases } from './hostile-entry-cases.js';
import { pathCases } from './hostile-path-cases.js';

const cases = [...pathCases, ...entryCases];

/** Sets the first header's type flag and fixes its checksum. */
function withFlag(archive: Buffer, flag: string): Buffer {
  const out = Buffer.from(archive);
  out.write(flag, 156, 1, 'latin1');
  out.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += out[i] ?? 0;
  out.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return out;
}

const from = (b: Buffer) => Readable.from([b]);

describe('hostile archives', () => {
  let dir: string;
  let root: string;
  let outside: string;
  const host = new LinuxHost();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-hostile-'));
    root = join(dir, 'root');
    outside = join(dir, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, 'victim'), 'original');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const outsideUntouched = () => {
    expect(readdirSync(outside)).toEqual(['victim']);
    expect(readFileSync(join(outside, 'victim'), 'utf8')).toBe('original');
    expect(lstatSync(join(outside, 'victim')).nlink).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['outside', 'root']);
  };

  it.each(cases)('$name', async (c) => {
    const archive = c.flag ? withFlag(tarOf(c.entries(outside)), c.flag) : tarOf(c.entries(outside));
    const run = extractLayer(from(archive), root, { host, limits: c.limits });
    if (c.error) await expect(run).rejects.toThrow(c.error);
    else {
      const result = await run;
      expect(result.diffId).toBe(`sha256:${createHash('sha256').update(archive).digest('hex')}`);
      c.check?.(root, outside);
    }
    outsideUntouched();
  });

  it('verifies the diffID of a gzip layer against its uncompressed bytes', async () => {
    const entries = [{ name: 'f', data: 'x' }];
    const diffId = `sha256:${createHash('sha256').update(tarOf(entries)).digest('hex')}`;
    await expect(
      extractLayer(from(tgzOf(entries)), root, { host, expectedDiffId: diffId }),
    ).resolves.toMatchObject({ diffId });
    await expect(
      extractLayer(from(tgzOf(entries)), join(dir, 'root'), {
        host,
        expectedDiffId: `sha256:${'0'.repeat(64)}`,
      }),
    ).rejects.toThrow(/digest mismatch/);
  });

  it('bounds a gzip bomb of trailing zeros', async () => {
    const bomb = gzipSync(Buffer.concat([tarOf([{ name: 'f', data: 'x' }]), Buffer.alloc(8 * 1024 * 1024)]));
    await expect(extractLayer(from(bomb), root, { host, limits: { maxTotalBytes: 1024 } })).rejects.toThrow(
      /size limit/,
    );
    outsideUntouched();
  });

  it('refuses a truncated archive and a corrupt header', async () => {
    const archive = tarOf([{ name: 'f', data: 'x'.repeat(2000) }], { end: false });
    await expect(extractLayer(from(archive.subarray(0, 1200)), root, { host })).rejects.toThrow(
      /unexpected end/,
    );
    const corrupt = Buffer.from(tarOf([{ name: 'g', data: 'x' }]));
    corrupt[0] = 0x41;
    await expect(extractLayer(from(corrupt), root, { host })).rejects.toThrow(/checksum/);
  });
});

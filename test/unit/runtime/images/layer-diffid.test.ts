import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractLayer } from '../../../../runtime/archive/extract.js';
import { LinuxHost } from '../../../../runtime/host/linux-host.js';
import type { ImageService } from '../../../../runtime/images/image-service.js';
import { tarOf } from '../../../fixtures/archives/build-tar.js';
import { imageServiceAt } from './image-service-fixture.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

// A layer's diffID is the digest of its uncompressed tar whatever the blob is compressed with;
// only a plain tar's blob digest (already verified by the store) is reused without hashing again.
describe('layer diffIDs', () => {
  let dir: string;
  let images: ImageService;
  /** A layer of its own per case, so none is answered by one stored before. */
  const layerOf = (kind: string) =>
    tarOf([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/hello', data: `hello ${kind}\n` },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    ]);
  const layer = layerOf('known');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-diffid-'));
    images = await imageServiceAt(join(dir, 'root'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const compress = {
    plain: (tar: Buffer) => tar,
    gzip: (tar: Buffer) => gzipSync(tar),
    xz: (tar: Buffer) => execFileSync('xz', ['-c'], { input: tar }),
    bzip2: (tar: Buffer) => execFileSync('bzip2', ['-c'], { input: tar }),
  };

  it.each(Object.keys(compress))('%s blob: the diffID is the uncompressed digest', async (kind) => {
    const layer = layerOf(kind);
    const blob = compress[kind as keyof typeof compress](layer);
    const entry = await images.store.adding(() =>
      images.store.layers.ensure(undefined, { stream: Readable.from([blob]) }),
    );
    expect(entry.diffId).toBe(sha(layer));
    expect(entry.blob).toBe(sha(blob));
    const fs = images.store.snapshots.upperDir(entry.chainId);
    expect(readFileSync(join(fs, 'etc/hello'), 'utf8')).toBe(`hello ${kind}\n`);
  });

  it('takes a known digest as the diffID and still checks the expected one', async () => {
    const root = mkdtempSync(join(dir, 'x-'));
    const known = sha(layer);
    const res = await extractLayer(Readable.from([layer]), root, {
      host: new LinuxHost(),
      knownDigest: known,
      expectedDiffId: known,
    });
    expect(res).toMatchObject({ diffId: known, size: layer.length });
    const other = mkdtempSync(join(dir, 'y-'));
    await expect(
      extractLayer(Readable.from([layer]), other, {
        host: new LinuxHost(),
        knownDigest: known,
        expectedDiffId: sha(Buffer.from('x')),
      }),
    ).rejects.toThrow(/layer digest mismatch/);
  });
});

import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractLayer } from '../../../runtime/archive/extract.js';
import { copyIntoRoot } from '../../../runtime/build/copy-files.js';
import { LinuxHost } from '../../../runtime/host/linux-host.js';
import { tarOf } from '../../fixtures/archives/build-tar.js';

// A build context, an ADD source and a `docker cp` upload are plain archives, not layers: a
// `.wh.` name is an ordinary file there, and ADD --chown owns every unpacked entry.
describe('plain archives (build contexts, ADD sources)', () => {
  const host = new LinuxHost();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-plain-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps .wh. names as files and hides nothing', async () => {
    const root = join(dir, 'ctx');
    mkdirSync(root);
    const tar = tarOf([
      { name: 'keep', data: 'kept' },
      { name: '.wh.keep', data: 'a file' },
      { name: '.wh..wh..opq', data: 'also a file' },
      { name: '.wh.dir/inner', data: 'inside' },
    ]);
    await extractLayer(Readable.from([tar]), root, { host, whiteouts: 'none' });
    expect(readdirSync(root).sort()).toEqual(['.wh..wh..opq', '.wh.dir', '.wh.keep', 'keep']);
    expect(readFileSync(join(root, '.wh.keep'), 'utf8')).toBe('a file');
    expect(readFileSync(join(root, '.wh.dir/inner'), 'utf8')).toBe('inside');
    expect(lstatSync(join(root, '.wh.keep')).isFile()).toBe(true);
  });

  it('still refuses entries that climb out of the root', async () => {
    const root = join(dir, 'ctx');
    mkdirSync(root);
    const tar = tarOf([{ name: '../escape', data: 'x' }]);
    await expect(extractLayer(Readable.from([tar]), root, { host, whiteouts: 'none' })).rejects.toThrow(
      /outside the root/,
    );
  });

  it('ADD --chown owns every unpacked entry; without it the archive owners stay', async () => {
    const rootfs = join(dir, 'rootfs');
    mkdirSync(rootfs);
    const archive = join(dir, 'app.tar');
    writeFileSync(
      archive,
      tarOf([
        { name: 'd/', type: 'directory', uid: 1234, gid: 4321 },
        { name: 'd/f', data: 'x', uid: 1234, gid: 4321 },
        { name: 'd/.wh.f2', data: 'y', uid: 1234, gid: 4321 },
      ]),
    );
    await copyIntoRoot(rootfs, [archive], '/owned/', { uid: 7, gid: 8 }, { host, owner: { uid: 7, gid: 8 } });
    await copyIntoRoot(rootfs, [archive], '/kept/', { uid: 0, gid: 0 }, { host });
    const owner = (p: string) => {
      const st = lstatSync(join(rootfs, p));
      return `${st.uid}:${st.gid}`;
    };
    expect(['owned/d', 'owned/d/f', 'owned/d/.wh.f2'].map(owner)).toEqual(['7:8', '7:8', '7:8']);
    expect(['kept/d', 'kept/d/f', 'kept/d/.wh.f2'].map(owner)).toEqual([
      '1234:4321',
      '1234:4321',
      '1234:4321',
    ]);
  });
});

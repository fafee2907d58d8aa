import { execFileSync } from 'node:child_process';
import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarDirectory } from '../../../../runtime/archive/dir-tar.js';
import { extractLayer } from '../../../../runtime/archive/extract.js';
import { readTar } from '../../../../runtime/archive/tar-reader.js';
import { LinuxHost } from '../../../../runtime/host/linux-host.js';

async function entries(
  stream: Readable,
): Promise<Array<{ name: string; type: string; linkname: string; size: number }>> {
  const out: Array<{ name: string; type: string; linkname: string; size: number }> = [];
  for await (const e of readTar(stream))
    out.push({ name: e.header.name, type: e.header.type, linkname: e.header.linkname, size: e.header.size });
  return out;
}

// A container's upper dir holds overlayfs whiteouts (0/0 char devices, opaque xattrs); its layer
// tar must hold `.wh.` entries instead, and unpacking that tar must give the same upper dir back.
describe('whiteout conversion for commit', () => {
  const host = new LinuxHost();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-diff-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('turns an upper dir into a layer tar and back', async () => {
    const upper = join(dir, 'upper');
    mkdirSync(join(upper, 'etc'), { recursive: true });
    mkdirSync(join(upper, 'opaque'));
    writeFileSync(join(upper, 'etc/new'), 'new file');
    writeFileSync(join(upper, 'opaque/kept'), 'kept');
    linkSync(join(upper, 'etc/new'), join(upper, 'etc/hard'));
    symlinkSync('/etc/new', join(upper, 'link'));
    execFileSync('mknod', ['-m', '0', join(upper, 'etc/gone'), 'c', '0', '0']);
    execFileSync('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', join(upper, 'opaque')]);

    const layer = await entries(tarDirectory(upper, { overlayWhiteouts: true, host }));
    expect(layer.map((e) => `${e.type} ${e.name}${e.linkname ? ` -> ${e.linkname}` : ''}`)).toEqual([
      'directory etc/',
      'file etc/.wh.gone',
      'file etc/hard',
      'link etc/new -> etc/hard',
      'symlink link -> /etc/new',
      'directory opaque/',
      'file opaque/.wh..wh..opq',
      'file opaque/kept',
    ]);

    const back = join(dir, 'back');
    mkdirSync(back);
    const chunks: Buffer[] = [];
    for await (const c of tarDirectory(upper, { overlayWhiteouts: true, host })) chunks.push(c as Buffer);
    await extractLayer(Readable.from([Buffer.concat(chunks)]), back, { host });
    const gone = lstatSync(join(back, 'etc/gone'));
    expect(gone.isCharacterDevice() && gone.rdev === 0).toBe(true);
    expect(
      execFileSync('getfattr', ['--only-values', '-n', 'trusted.overlay.opaque', join(back, 'opaque')], {
        encoding: 'utf8',
      }),
    ).toBe('y');
    expect(readFileSync(join(back, 'etc/hard'), 'utf8')).toBe('new file');
    expect(lstatSync(join(back, 'etc/hard')).ino).toBe(lstatSync(join(back, 'etc/new')).ino);
  });

  it('without conversion (export), devices are archived as devices', async () => {
    const tree = join(dir, 'tree');
    mkdirSync(tree);
    execFileSync('mknod', ['-m', '0600', join(tree, 'null'), 'c', '1', '3']);
    const list = await entries(tarDirectory(tree));
    expect(list).toEqual([{ name: 'null', type: 'char', linkname: '', size: 0 }]);
  });
});

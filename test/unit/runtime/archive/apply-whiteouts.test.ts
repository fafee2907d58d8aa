import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractLayer } from '../../../../runtime/archive/extract.js';
import { LinuxHost } from '../../../../runtime/host/linux-host.js';
import { tarOf } from '../../../fixtures/archives/build-tar.js';

// The copy snapshotter unpacks a layer onto a full copy of the layers below: whiteouts delete
// from that tree, opaque markers empty a directory, and neither touches what the layer itself
// brought, nor anything outside the root.
describe('whiteouts applied to a full tree', () => {
  const host = new LinuxHost();
  let dir: string;
  let root: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-apply-'));
    root = join(dir, 'root');
    mkdirSync(join(root, 'etc'), { recursive: true });
    mkdirSync(join(root, 'opaque/sub'), { recursive: true });
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside/victim'), 'keep');
    writeFileSync(join(root, 'etc/passwd'), 'lower');
    writeFileSync(join(root, 'etc/group'), 'lower');
    writeFileSync(join(root, 'opaque/old'), 'lower');
    writeFileSync(join(root, 'opaque/sub/deep'), 'lower');
    symlinkSync(join(dir, 'outside'), join(root, 'escape'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const apply = (entries: Parameters<typeof tarOf>[0]) =>
    extractLayer(Readable.from([tarOf(entries)]), root, { host, whiteouts: 'apply' });

  it("deletes whited-out entries and empties opaque directories, sparing the layer's own", async () => {
    await apply([
      { name: 'etc/.wh.passwd' },
      { name: 'opaque/new', data: 'mine' },
      { name: 'opaque/.wh..wh..opq' },
      { name: 'fresh/a/b', data: 'x' },
      { name: 'fresh/.wh..wh..opq' },
    ]);
    expect(readdirSync(join(root, 'etc'))).toEqual(['group']);
    expect(readdirSync(join(root, 'opaque'))).toEqual(['new']);
    expect(readFileSync(join(root, 'fresh/a/b'), 'utf8')).toBe('x');
  });

  it('a whiteout never hides the same layer, and never reaches outside', async () => {
    await apply([
      { name: 'etc/passwd', data: 'upper' },
      { name: 'etc/.wh.passwd' },
      { name: 'escape/.wh.victim' },
    ]);
    expect(readFileSync(join(root, 'etc/passwd'), 'utf8')).toBe('upper');
    expect(readFileSync(join(dir, 'outside/victim'), 'utf8')).toBe('keep');
    expect(existsSync(join(root, 'escape'))).toBe(true);
  });

  it('a whiteout of a whole directory removes it recursively', async () => {
    await apply([{ name: '.wh.opaque' }]);
    expect(existsSync(join(root, 'opaque'))).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractLayer } from '../../../../runtime/archive/extract.js';
import { LinuxHost } from '../../../../runtime/host/linux-host.js';
import { type FixtureEntry, tarOf, tgzOf } from '../../../fixtures/archives/build-tar.js';

// Each case extracts into <tmp>/root next to <tmp>/outside/victim; whatever the archive says,
// nothing may change outside the root. `check` observes the root; `error` means the archive is refused.
interface Case {
  name: string;
  entries: (outside: string) => FixtureEntry[];
  error?: RegExp;
  check?: (root: string, outside: string) => void;
  limits?: { maxTotalBytes?: number; maxNameLength?: number };
  /** Rewrites the type flag of the first entry (entry kinds the writer does not produce). */
  flag?: string;
}

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
const isWhiteout = (p: string) => {
  const st = lstatSync(p);
  return st.isCharacterDevice() && st.rdev === 0;
};
const xattr = (p: string, name: string) =>
  execFileSync('getfattr', ['--only-values', '-n', name, p], { encoding: 'utf8' });

const cases: Case[] = [
  // names
  { name: 'parent traversal ../x', entries: () => [{ name: '../x', data: 'x' }], error: /outside the root/ },
  {
    name: 'deep traversal a/../../x',
    entries: () => [{ name: 'a/../../x', data: 'x' }],
    error: /outside the root/,
  },
  {
    name: 'rooted traversal /../x',
    entries: () => [{ name: '/../x', data: 'x' }],
    error: /outside the root/,
  },
  {
    name: 'absolute name lands inside',
    entries: (o) => [{ name: `${o}/victim`, data: 'pwned' }],
    check: (r, o) => expect(readFileSync(join(r, o, 'victim'), 'utf8')).toBe('pwned'),
  },
  { name: 'over-long name', entries: () => [{ name: 'a'.repeat(5000), data: 'x' }], error: /longer than/ },
  {
    name: 'unicode and case twins both kept',
    entries: () => [
      { name: 'caf\u00e9', data: '1' },
      { name: 'cafe\u0301', data: '2' },
      { name: 'A', data: '3' },
      { name: 'a', data: '4' },
    ],
    check: (r) => expect(readdirSync(r).sort()).toEqual(['A', 'a', 'cafe\u0301', 'caf\u00e9'].sort()),
  },
  {
    name: 'entry named ..',
    entries: () => [{ name: '..', type: 'symlink', linkname: '/' }],
    error: /outside the root/,
  },
  {
    name: 'symlink with an empty name is ignored (it would be the root)',
    entries: () => [
      { name: '', type: 'symlink', linkname: '/etc' },
      { name: 'f', data: 'x' },
    ],
    check: (r) => expect(lstatSync(r).isDirectory() && readFileSync(join(r, 'f'), 'utf8') === 'x').toBe(true),
  },
  {
    name: 'unknown entry types (sockets, volume labels) are skipped',
    entries: () => [
      { name: 'label', data: '' },
      { name: 'after', data: 'kept' },
    ],
    flag: 'V',
    check: (r) => expect(readdirSync(r)).toEqual(['after']),
  },
  {
    name: 'GNU sparse entries are refused',
    entries: () => [{ name: 'sparse', data: 'x' }],
    flag: 'S',
    error: /sparse/,
  },
  // symlinks
  {
    name: 'absolute symlinked parent is resolved in the root',
    entries: (o) => [
      { name: 'localetc', type: 'symlink', linkname: o },
      { name: 'localetc/victim', data: 'pwned' },
    ],
    check: (r, o) => expect(readFileSync(join(r, o, 'victim'), 'utf8')).toBe('pwned'),
  },
  {
    name: 'relative symlink climbing out is clamped at the root',
    entries: (o) => [
      { name: 'up', type: 'symlink', linkname: `../../../../../../..${o}` },
      { name: 'up/victim', data: 'pwned' },
    ],
    check: (r, o) => expect(readFileSync(join(r, o, 'victim'), 'utf8')).toBe('pwned'),
  },
  {
    name: 'chained symlinks stay in the root',
    entries: (o) => [
      { name: 'a', type: 'symlink', linkname: 'b' },
      { name: 'b', type: 'symlink', linkname: `../..${o}` },
      { name: 'a/victim', data: 'pwned' },
    ],
    check: (r, o) => expect(readFileSync(join(r, o, 'victim'), 'utf8')).toBe('pwned'),
  },
  {
    name: 'symlink loop is refused',
    entries: () => [
      { name: 'a', type: 'symlink', linkname: 'b' },
      { name: 'b', type: 'symlink', linkname: 'a' },
      { name: 'a/x', data: 'x' },
    ],
    error: /too many levels/,
  },
  {
    name: 'symlink replacing a directory, then writing through it',
    entries: (o) => [
      { name: 'd', type: 'directory' },
      { name: 'd/f', data: 'f' },
      { name: 'd', type: 'symlink', linkname: o },
      { name: 'd/victim', data: 'pwned' },
    ],
    check: (r, o) => {
      expect(lstatSync(join(r, 'd')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(r, o, 'victim'), 'utf8')).toBe('pwned');
    },
  },
  {
    name: 'directory replacing a symlink',
    entries: (o) => [
      { name: 'd', type: 'symlink', linkname: o },
      { name: 'd', type: 'directory' },
      { name: 'd/victim', data: 'pwned' },
    ],
    check: (r) => expect(readFileSync(join(r, 'd/victim'), 'utf8')).toBe('pwned'),
  },
  {
    name: 'symlinks pointing out are stored, not followed',
    entries: (o) => [{ name: 'link', type: 'symlink', linkname: `${o}/victim` }],
    check: (r, o) => expect(readlinkSync(join(r, 'link'))).toBe(`${o}/victim`),
  },
  // hardlinks
  {
    name: 'hardlink to ../../victim',
    entries: () => [{ name: 'h', type: 'link', linkname: '../../outside/victim' }],
    error: /outside the root/,
  },
  {
    name: 'hardlink through a symlinked parent',
    entries: (o) => [
      { name: 'l', type: 'symlink', linkname: o },
      { name: 'h', type: 'link', linkname: 'l/victim' },
    ],
    error: /missing/,
  },
  {
    name: 'hardlink to an absolute host path',
    entries: (o) => [{ name: 'h', type: 'link', linkname: `${o}/victim` }],
    error: /missing/,
  },
  {
    name: 'hardlink to a symlink links the symlink itself',
    entries: (o) => [
      { name: 's', type: 'symlink', linkname: `${o}/victim` },
      { name: 'h', type: 'link', linkname: 's' },
    ],
    check: (r, o) => {
      expect(lstatSync(join(r, 'h')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(r, 'h'))).toBe(`${o}/victim`);
    },
  },
  {
    name: 'hardlink to a missing target',
    entries: () => [{ name: 'h', type: 'link', linkname: 'nope' }],
    error: /missing/,
  },
  {
    name: 'hardlink to a directory (the loophole)',
    entries: () => [
      { name: 'd', type: 'directory' },
      { name: 'h', type: 'link', linkname: 'd' },
    ],
    error: /directory/,
  },
  {
    name: 'hardlink inside the root shares the inode',
    entries: () => [
      { name: 'a', data: 'same' },
      { name: 'b', type: 'link', linkname: 'a' },
    ],
    check: (r) => expect(statSync(join(r, 'b')).ino).toBe(statSync(join(r, 'a')).ino),
  },
  // whiteouts
  { name: 'bare .wh.', entries: () => [{ name: '.wh.' }], error: /invalid whiteout/ },
  { name: '.wh.. (whiteout of ..)', entries: () => [{ name: '.wh..' }], error: /invalid whiteout/ },
  { name: 'etc/.wh.. (whiteout of ..)', entries: () => [{ name: 'etc/.wh..' }], error: /invalid whiteout/ },
  { name: 'reserved .wh..wh. prefix', entries: () => [{ name: '.wh..wh.foo' }], error: /invalid whiteout/ },
  {
    name: 'whiteout becomes an overlay whiteout',
    entries: () => [{ name: 'etc', type: 'directory' }, { name: 'etc/.wh.passwd' }],
    check: (r) => {
      expect(isWhiteout(join(r, 'etc/passwd'))).toBe(true);
      expect(readdirSync(join(r, 'etc'))).toEqual(['passwd']);
    },
  },
  {
    name: 'whiteout through a symlinked parent stays in the root',
    entries: (o) => [{ name: 'l', type: 'symlink', linkname: o }, { name: 'l/.wh.victim' }],
    check: (r, o) => expect(isWhiteout(join(r, o, 'victim'))).toBe(true),
  },
  {
    name: 'opaque marker listed after its siblings',
    entries: () => [{ name: 'd', type: 'directory' }, { name: 'd/a', data: 'a' }, { name: 'd/.wh..wh..opq' }],
    check: (r) => {
      expect(readFileSync(join(r, 'd/a'), 'utf8')).toBe('a');
      expect(xattr(join(r, 'd'), 'trusted.overlay.opaque')).toBe('y');
    },
  },
  {
    name: 'a whiteout does not hide its own layer',
    entries: () => [{ name: 'a', data: 'kept' }, { name: '.wh.a' }],
    check: (r) => expect(readFileSync(join(r, 'a'), 'utf8')).toBe('kept'),
  },
  {
    name: 'a directory recreated after its whiteout is opaque',
    entries: () => [
      { name: '.wh.d' },
      { name: 'd', type: 'directory' },
      { name: 'd/f', data: 'new' },
      { name: '.wh.e' },
      { name: 'e/g', data: 'g' },
    ],
    check: (r) => {
      expect(readFileSync(join(r, 'd/f'), 'utf8')).toBe('new');
      expect(xattr(join(r, 'd'), 'trusted.overlay.opaque')).toBe('y');
      expect(xattr(join(r, 'e'), 'trusted.overlay.opaque')).toBe('y');
    },
  },
  {
    name: 'directory named .wh.etc/ is a whiteout of etc',
    entries: () => [{ name: '.wh.etc/', type: 'directory' }],
    check: (r) => expect(isWhiteout(join(r, 'etc'))).toBe(true),
  },
  {
    name: 'entries under a .wh. directory',
    entries: () => [{ name: '.wh.etc/passwd', data: 'x' }],
    error: /inside a whiteout/,
  },
  // other entry types
  {
    name: 'char device refused',
    entries: () => [{ name: 'null', type: 'char', devmajor: 1, devminor: 3 }],
    error: /device node/,
  },
  {
    name: 'block device refused',
    entries: () => [{ name: 'sda', type: 'block', devmajor: 8 }],
    error: /device node/,
  },
  {
    name: 'fifo allowed',
    entries: () => [{ name: 'pipe', type: 'fifo', mode: 0o600 }],
    check: (r) => expect(lstatSync(join(r, 'pipe')).isFIFO()).toBe(true),
  },
  {
    name: 'setuid, ownership and mtime kept',
    entries: () => [{ name: 'su', data: '#!', mode: 0o4755, uid: 1234, gid: 5678, mtime: 1_234_567_890 }],
    check: (r) => {
      const st = lstatSync(join(r, 'su'));
      expect([st.mode & 0o7777, st.uid, st.gid, Math.floor(st.mtimeMs / 1000)]).toEqual([
        0o4755, 1234, 5678, 1_234_567_890,
      ]);
    },
  },
  {
    name: 'directory mtime kept after children are written',
    entries: () => [
      { name: 'd', type: 'directory', mtime: 1_000_000 },
      { name: 'd/f', data: 'x' },
    ],
    check: (r) => expect(Math.floor(lstatSync(join(r, 'd')).mtimeMs / 1000)).toBe(1_000_000),
  },
  {
    name: 'xattrs applied, overlay xattrs ignored',
    entries: () => [
      {
        name: 'f',
        data: 'x',
        xattrs: { 'user.note': Buffer.from('hi'), 'trusted.overlay.opaque': Buffer.from('y') },
      },
    ],
    check: (r) => {
      expect(xattr(join(r, 'f'), 'user.note')).toBe('hi');
      expect(() => xattr(join(r, 'f'), 'trusted.overlay.opaque')).toThrow();
    },
  },
  {
    name: 'xattrs the filesystem refuses are skipped, the others kept',
    entries: () => [
      {
        name: 'f',
        data: 'x',
        xattrs: { 'system.posix_acl_access': Buffer.from('garbage'), 'user.ok': Buffer.from('1') },
      },
    ],
    check: (r) => expect(xattr(join(r, 'f'), 'user.ok')).toBe('1'),
  },
  {
    name: 'duplicate paths: the last one wins',
    entries: () => [
      { name: 'a', data: 'first' },
      { name: 'a', data: 'second' },
      { name: 'd/x', data: '' },
      { name: 'd', data: 'file' },
    ],
    check: (r) => {
      expect(readFileSync(join(r, 'a'), 'utf8')).toBe('second');
      expect(readFileSync(join(r, 'd'), 'utf8')).toBe('file');
    },
  },
  {
    name: 'parent that is a file',
    entries: () => [
      { name: 'f', data: 'x' },
      { name: 'f/g', data: 'y' },
    ],
    error: /not a directory/,
  },
  // size and integrity
  {
    name: 'size field larger than the data',
    entries: () => [{ name: 'f', data: 'short', size: 100_000 }],
    error: /unexpected end/,
  },
  {
    name: 'entry over the size bound',
    entries: () => [{ name: 'big', data: Buffer.alloc(4096) }],
    limits: { maxTotalBytes: 1000 },
    error: /size limit/,
  },
];

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

import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Case } from './hostile-path-cases.js';

const isWhiteout = (p: string) => {
  const st = lstatSync(p);
  return st.isCharacterDevice() && st.rdev === 0;
};
const xattr = (p: string, name: string) =>
  execFileSync('getfattr', ['--only-values', '-n', name, p], { encoding: 'utf8' });

/** Whiteouts, other entry types (devices, fifos, xattrs), sizes and integrity. */
export const entryCases: Case[] = [
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

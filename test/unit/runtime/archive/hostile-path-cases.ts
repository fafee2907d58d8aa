import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FixtureEntry } from '../../../fixtures/archives/build-tar.js';

// Each case extracts into <tmp>/root next to <tmp>/outside/victim; whatever the archive says,
// nothing may change outside the root. `check` observes the root; `error` means the archive is refused.
export interface Case {
  name: string;
  entries: (outside: string) => FixtureEntry[];
  error?: RegExp;
  check?: (root: string, outside: string) => void;
  limits?: { maxTotalBytes?: number; maxNameLength?: number };
  /** Rewrites the type flag of the first entry (entry kinds the writer does not produce). */
  flag?: string;
}

/** Hostile names, symlinks and hardlinks: nothing may land or point outside the root. */
export const pathCases: Case[] = [
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
];

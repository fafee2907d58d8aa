import { lstatSync, mkdirSync, type Stats, unlinkSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { posix } from 'node:path';
import { invalid } from '../errors.js';

/**
 * The extractor's filesystem helpers and bookkeeping. Calls are synchronous on purpose (see
 * extract.ts): microseconds in the kernel against a thread-pool round trip each.
 */

/** What an extraction remembers between entries. */
export interface Pending {
  mode: 'overlay' | 'apply' | 'none';
  /** Every entry's owner instead of the archive's (ADD --chown). */
  owner?: { uid: number; gid: number };
  contentSize: number;
  /** What this layer created (a whiteout or opaque marker never hides those). */
  created: Set<string>;
  /** Resolved parents by entry path; dropped whenever a link or directory is replaced. */
  parents: Map<string, string>;
  dirTimes: Array<{ path: string; mtime: number }>;
  xattrs: Array<{ path: string; name: string; value: Buffer }>;
  opaque: Set<string>;
}

/** Writes all of `data` to `fd` (a write may take fewer bytes than asked). */
export function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
}

/** The entry at `path`, or undefined when there is none (or its parent is not a directory). */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Creates the directories up to `path` (an entry's parent); a whited-out one becomes opaque. */
export function ensureDirectory(path: string, entry: string, pending: Pending): void {
  const st = lstatOrUndefined(path);
  if (st?.isCharacterDevice() && st.rdev === 0) {
    // This layer whited the directory out and now puts entries in it: a new, opaque directory.
    unlinkSync(path);
    pending.opaque.add(path);
  }
  let first: string | undefined;
  try {
    first = mkdirSync(path, { recursive: true, mode: 0o755 });
  } catch (err) {
    throw invalid(
      `invalid archive: parent of ${JSON.stringify(entry)} is not a directory (${(err as Error).message})`,
    );
  }
  for (let dir = path; first !== undefined && dir.length >= first.length; dir = posix.dirname(dir)) {
    pending.created.add(dir);
  }
}

/** True when something is at `path`. */
export function exists(path: string): boolean {
  return lstatOrUndefined(path) !== undefined;
}

/** Removes whatever is at `path` so a new entry can take its place (duplicates: last wins). */
export async function clear(path: string, pending: Pending): Promise<void> {
  const st = lstatOrUndefined(path);
  if (!st) return;
  if (st.isDirectory()) await rm(path, { recursive: true, force: true });
  else unlinkSync(path);
  if (st.isDirectory() || st.isSymbolicLink()) pending.parents.clear();
}

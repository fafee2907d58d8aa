import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  type Stats,
  symlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { posix } from 'node:path';
import { EngineError, invalid } from '../errors.js';
import type { Host } from '../host/host.js';
import { decompress } from './decompress.js';
import { cleanEntryName, resolveInRootSync } from './scoped-path.js';
import type { TarHeader } from './tar-header.js';
import { DEFAULT_TAR_LIMITS, readTar, type TarLimits } from './tar-reader.js';
import { classifyWhiteout, OVERLAY_OPAQUE_XATTR, WHITEOUT_PREFIX } from './whiteout.js';
import { restoreXattrs } from './xattrs.js';

/** How to extract a layer. */
export interface ExtractOptions {
  /** Runs mknod/mkfifo/setfattr (whiteouts, fifos, xattrs) and decompressors. */
  host: Host;
  /** The layer's diffID; a mismatch fails the extraction. */
  expectedDiffId?: string;
  limits?: Partial<TarLimits>;
  /**
   * `overlay` (default): `root` is empty and whiteouts become overlayfs whiteouts. `apply`: `root`
   * already holds the layers below (a copy snapshotter) and whiteouts delete from it.
   */
  whiteouts?: 'overlay' | 'apply';
}

/** What an extraction produced. */
export interface ExtractResult {
  /** sha256 of the uncompressed tar stream. */
  diffId: string;
  /** Bytes of the uncompressed tar stream. */
  size: number;
  /** What the layer's files take as Docker counts it: file sizes and link target lengths. */
  contentSize: number;
}

interface Pending {
  mode: 'overlay' | 'apply';
  contentSize: number;
  /** What this layer created (a whiteout or opaque marker never hides those). */
  created: Set<string>;
  /** Resolved parents by entry path; dropped whenever a link or directory is replaced. */
  parents: Map<string, string>;
  dirTimes: Array<{ path: string; mtime: number }>;
  xattrs: Array<{ path: string; name: string; value: Buffer }>;
  opaque: Set<string>;
}

/**
 * Per-entry filesystem calls are synchronous on purpose: each is a few microseconds in the kernel,
 * while an fs/promises call waits for a thread-pool round trip (tens of microseconds, far more on
 * a busy host), and a layer has thousands of them. Only recursive removals and directory
 * listings, rare in layers, stay asynchronous.
 *
 * Unpacks a (possibly compressed) layer tar into `root`, which must be a fresh directory that
 * nothing else writes to. Every entry lands inside `root`: names are cleaned, parents resolved in
 * scope without following links out, hardlinks must point at existing non-directories inside.
 * Whiteouts become overlayfs whiteouts (0/0 char devices, `trusted.overlay.opaque=y`); device
 * nodes are refused; ownership, modes (setuid too) and mtimes are kept. On failure the caller
 * discards `root`: it may hold part of the layer.
 */
export async function extractLayer(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  root: string,
  options: ExtractOptions,
): Promise<ExtractResult> {
  const limits = { ...DEFAULT_TAR_LIMITS, ...options.limits };
  const hash = createHash('sha256');
  let size = 0;
  const tapped = (async function* () {
    for await (const chunk of decompress(source, options.host)) {
      size += chunk.length;
      // Bounds the bytes after the end-of-archive marker too (a stream of zeros is a bomb as well).
      if (size > limits.maxTotalBytes + 1024 * 1024) throw invalid('archive exceeds the size limit');
      hash.update(chunk);
      yield chunk;
    }
  })();
  const pending: Pending = {
    mode: options.whiteouts ?? 'overlay',
    contentSize: 0,
    created: new Set(),
    parents: new Map(),
    dirTimes: [],
    xattrs: [],
    opaque: new Set(),
  };
  try {
    for await (const entry of readTar(tapped, limits)) {
      await applyEntry(root, entry.header, entry.body, options.host, pending);
    }
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw invalid(`invalid archive: ${(err as Error).message}`);
  }
  const diffId = `sha256:${hash.digest('hex')}`;
  if (options.expectedDiffId && options.expectedDiffId !== diffId) {
    throw invalid(`layer digest mismatch: expected ${options.expectedDiffId}, got ${diffId}`);
  }
  const opaque = [...pending.opaque].map((path) => ({
    path,
    name: OVERLAY_OPAQUE_XATTR,
    value: Buffer.from('y'),
  }));
  await restoreXattrs(options.host, opaque);
  // Attributes the archive carries are kept where the filesystem allows them (Docker ignores the rest).
  await restoreXattrs(options.host, pending.xattrs, { bestEffort: true });
  for (const { path, mtime } of pending.dirTimes.reverse()) lutimesSync(path, mtime, mtime);
  return { diffId, size, contentSize: pending.contentSize };
}

async function applyEntry(
  root: string,
  h: TarHeader,
  body: AsyncIterable<Buffer>,
  host: Host,
  pending: Pending,
): Promise<void> {
  const rel = cleanEntryName(h.name);
  if (rel === undefined) throw invalid(`invalid archive: ${JSON.stringify(h.name)} points outside the root`);
  if (rel === '') {
    if (h.type === 'directory') setMeta(root, h, pending);
    return;
  }
  const parentRel = posix.dirname(rel);
  const base = posix.basename(rel);
  if (parentRel.split('/').some((p) => p.startsWith(WHITEOUT_PREFIX))) {
    throw invalid(`invalid archive: ${JSON.stringify(h.name)} is inside a whiteout`);
  }
  let parent = pending.parents.get(parentRel);
  if (parent === undefined) {
    parent = resolveInRootSync(root, parentRel === '.' ? '' : parentRel);
    ensureDirectory(parent, h.name, pending);
    pending.parents.set(parentRel, parent);
  }
  const whiteout = classifyWhiteout(base);
  if (whiteout.kind !== 'none') {
    await applyWhiteout(parent, whiteout.kind === 'opaque' ? undefined : whiteout.hides, host, pending);
    return;
  }
  const dest = posix.join(parent, base);
  pending.created.add(dest);
  switch (h.type) {
    case 'directory': {
      const current = lstatOrUndefined(dest);
      if (current && !current.isDirectory()) {
        unlinkSync(dest);
        pending.parents.clear();
        // A directory recreated where this layer whited one out hides the lower one's contents.
        if (current.isCharacterDevice() && current.rdev === 0) pending.opaque.add(dest);
      }
      if (!current?.isDirectory()) mkdirSync(dest, { mode: 0o700 });
      break;
    }
    case 'file': {
      await clear(dest, pending);
      const fd = openSync(dest, 'wx', 0o600);
      try {
        for await (const chunk of body) writeAll(fd, chunk);
      } finally {
        closeSync(fd);
      }
      pending.contentSize += h.size;
      break;
    }
    case 'symlink':
      // Any target is stored as is: links are only ever followed by resolveInRoot, in scope.
      // clear() forgets resolved parents when it replaces a link or directory; a link where
      // nothing was cannot change them (every cached resolution runs through existing entries).
      await clear(dest, pending);
      symlinkSync(h.linkname, dest);
      pending.contentSize += Buffer.byteLength(h.linkname);
      break;
    case 'link': {
      const targetRel = cleanEntryName(h.linkname);
      if (!targetRel) throw invalid(`invalid archive: hardlink ${h.name} points outside the root`);
      const target = posix.join(
        resolveInRootSync(root, posix.dirname(targetRel) === '.' ? '' : posix.dirname(targetRel)),
        posix.basename(targetRel),
      );
      const st = lstatOrUndefined(target);
      if (!st) throw invalid(`invalid archive: hardlink ${h.name} points at missing ${h.linkname}`);
      if (st.isDirectory()) throw invalid(`invalid archive: hardlink ${h.name} points at a directory`);
      if (target === dest) return;
      await clear(dest, pending);
      linkSync(target, dest);
      return;
    }
    case 'fifo':
      await clear(dest, pending);
      await host.run('mkfifo', ['-m', '0600', dest]);
      break;
    case 'char':
    case 'block':
      throw invalid(`invalid archive: device node ${h.name} refused`);
    default:
      if (h.flag === 'S') throw invalid(`invalid archive: sparse entry ${h.name} is not supported`);
      return; // sockets and other exotic entries are skipped, as Docker does
  }
  setMeta(dest, h, pending);
}

function setMeta(path: string, h: TarHeader, pending: Pending): void {
  lchownSync(path, h.uid, h.gid);
  // chown clears setuid/setgid, so the mode comes after it; symlinks have no mode of their own.
  if (h.type !== 'symlink') chmodSync(path, h.mode);
  for (const [name, value] of Object.entries(h.xattrs)) {
    if (!name.startsWith('trusted.overlay.') && h.type !== 'symlink')
      pending.xattrs.push({ path, name, value });
  }
  if (h.type === 'directory') pending.dirTimes.push({ path, mtime: h.mtime });
  else lutimesSync(path, h.mtime, h.mtime);
}

/** Writes all of `data` (a write may take fewer bytes than asked). */
function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
}

/** The entry at `path`, or undefined when there is none (or its parent is not a directory). */
function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function ensureDirectory(path: string, entry: string, pending: Pending): void {
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

/**
 * A whiteout (`hides` a name) or an opaque marker (`hides` undefined) in `parent`. Overlay mode
 * records it for overlayfs; apply mode deletes from the tree below, sparing this layer's entries.
 */
async function applyWhiteout(
  parent: string,
  hides: string | undefined,
  host: Host,
  pending: Pending,
): Promise<void> {
  if (pending.mode === 'overlay') {
    if (hides === undefined) pending.opaque.add(parent);
    // A whiteout never hides what its own layer put there.
    else if (!exists(posix.join(parent, hides))) {
      await host.run('mknod', ['-m', '0', posix.join(parent, hides), 'c', '0', '0']);
    }
    return;
  }
  const doomed = hides === undefined ? await readdir(parent) : [hides];
  for (const name of doomed) {
    const path = posix.join(parent, name);
    if (!pending.created.has(path)) await rm(path, { recursive: true, force: true });
  }
  pending.parents.clear();
}

function exists(path: string): boolean {
  return lstatOrUndefined(path) !== undefined;
}

/** Removes whatever is at `path` so a new entry can take its place (duplicates: last wins). */
async function clear(path: string, pending: Pending): Promise<void> {
  const st = lstatOrUndefined(path);
  if (!st) return;
  if (st.isDirectory()) await rm(path, { recursive: true, force: true });
  else unlinkSync(path);
  if (st.isDirectory() || st.isSymbolicLink()) pending.parents.clear();
}

import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  lchownSync,
  linkSync,
  lutimesSync,
  mkdirSync,
  openSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { posix } from 'node:path';
import { EngineError, invalid } from '../errors.js';
import type { Host } from '../host/host.js';
import { decompress } from './decompress.js';
import { clear, ensureDirectory, exists, lstatOrUndefined, type Pending, writeAll } from './extract-fs.js';
import { cleanEntryName, resolveInRootSync } from './scoped-path.js';
import type { TarHeader } from './tar-header.js';
import { DEFAULT_TAR_LIMITS, readTar, type TarLimits } from './tar-reader.js';
import { classifyWhiteout, OVERLAY_OPAQUE_XATTR, WHITEOUT_PREFIX, type WhiteoutKind } from './whiteout.js';
import { restoreXattrs } from './xattrs.js';

/** How to extract a layer. */
export interface ExtractOptions {
  /** Runs mknod/mkfifo/setfattr (whiteouts, fifos, xattrs) and decompressors. */
  host: Host;
  /** The layer's diffID; a mismatch fails the extraction. */
  expectedDiffId?: string;
  /**
   * The stream's sha256 when the caller already verified it (a plain tar blob, stored under its
   * digest): taken as the diffID instead of hashing the bytes again.
   */
  knownDigest?: string;
  limits?: Partial<TarLimits>;
  /**
   * `overlay` (default): `root` is empty and whiteouts become overlayfs whiteouts. `apply`: `root`
   * already holds the layers below (a copy snapshotter) and whiteouts delete from it. `none`: the
   * archive is plain files, not a layer (a build context, an ADD source): `.wh.` names are files.
   */
  whiteouts?: 'overlay' | 'apply' | 'none';
  /** Gives every entry this owner instead of the archive's (ADD --chown of a local archive). */
  owner?: { uid: number; gid: number };
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
  const hash = options.knownDigest ? undefined : createHash('sha256');
  let size = 0;
  const tapped = (async function* () {
    for await (const chunk of decompress(source, options.host)) {
      size += chunk.length;
      // Bounds the bytes after the end-of-archive marker too (a stream of zeros is a bomb as well).
      if (size > limits.maxTotalBytes + 1024 * 1024) throw invalid('archive exceeds the size limit');
      hash?.update(chunk);
      yield chunk;
    }
  })();
  const pending: Pending = {
    mode: options.whiteouts ?? 'overlay',
    owner: options.owner,
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
  const diffId = hash ? `sha256:${hash.digest('hex')}` : (options.knownDigest as string);
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
  const layer = pending.mode !== 'none';
  if (layer && parentRel.split('/').some((p) => p.startsWith(WHITEOUT_PREFIX))) {
    throw invalid(`invalid archive: ${JSON.stringify(h.name)} is inside a whiteout`);
  }
  let parent = pending.parents.get(parentRel);
  if (parent === undefined) {
    parent = resolveInRootSync(root, parentRel === '.' ? '' : parentRel);
    ensureDirectory(parent, h.name, pending);
    pending.parents.set(parentRel, parent);
  }
  const whiteout: WhiteoutKind = layer ? classifyWhiteout(base) : { kind: 'none' };
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
  lchownSync(path, pending.owner?.uid ?? h.uid, pending.owner?.gid ?? h.gid);
  // chown clears setuid/setgid, so the mode comes after it; symlinks have no mode of their own.
  if (h.type !== 'symlink') chmodSync(path, h.mode);
  for (const [name, value] of Object.entries(h.xattrs)) {
    if (!name.startsWith('trusted.overlay.') && h.type !== 'symlink')
      pending.xattrs.push({ path, name, value });
  }
  if (h.type === 'directory') pending.dirTimes.push({ path, mtime: h.mtime });
  else lutimesSync(path, h.mtime, h.mtime);
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

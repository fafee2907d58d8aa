import { createReadStream } from 'node:fs';
import {
  chmod,
  copyFile,
  lchown,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readlink,
  rm,
  symlink,
} from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { extractLayer } from '../archive/extract.js';
import { resolveInRoot } from '../archive/scoped-path.js';
import { invalid } from '../errors.js';
import type { Host } from '../host/host.js';

/** Ownership and mode COPY/ADD give what they create. */
export interface CopyOwnership {
  uid: number;
  gid: number;
  /** `--chmod`: the mode of every copied file and directory. */
  mode?: number;
}

/** Parses `--chmod=755` (octal). */
export function parseChmod(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-7]{3,4}$/.test(value)) throw invalid(`invalid chmod parameter ${value}`);
  return Number.parseInt(value, 8);
}

/**
 * Copies build sources into `rootfs`; ADD's local archives (`extractArchives`) are unpacked, their
 * entries owned as the archive says unless `--chown` gave an owner. A source lands in `dest` when
 * it names a directory (a trailing `/`, several sources, an existing directory, or a directory
 * source), else at `dest` itself. `dest` is absolute.
 */
export async function copyIntoRoot(
  rootfs: string,
  sources: readonly string[],
  dest: string,
  owner: CopyOwnership,
  extractArchives:
    | { host: Host; owner?: { uid: number; gid: number }; keep?: ReadonlySet<string> }
    | undefined,
): Promise<void> {
  const destIsDir = dest.endsWith('/') || sources.length > 1;
  if (sources.length > 1 && !dest.endsWith('/')) {
    throw invalid(
      'When using COPY with more than one source file, the destination must be a directory and end with a /',
    );
  }
  const target = await resolveInRoot(rootfs, dest);
  const existing = await lstat(target).catch(() => undefined);
  for (const src of sources) {
    const st = await lstat(src);
    if (st.isDirectory()) {
      await ensureDir(rootfs, target, owner);
      await copyTree(src, target, owner);
    } else if (extractArchives && !extractArchives.keep?.has(src) && (await isArchive(src))) {
      await ensureDir(rootfs, target, owner);
      // A plain archive, not a layer: `.wh.` names are files; `--chown` owns every entry.
      const { host, owner: chown } = extractArchives;
      await extractLayer(createReadStream(src), target, { host, whiteouts: 'none', owner: chown });
    } else if (destIsDir || existing?.isDirectory()) {
      await ensureDir(rootfs, target, owner);
      await copyEntry(src, join(target, posix.basename(src)), owner);
    } else {
      await ensureDir(rootfs, dirname(target), undefined);
      await copyEntry(src, target, owner);
    }
  }
}

/** Creates a directory and its missing parents; only the leaf gets `owner` (parents are root's 0755). */
async function ensureDir(rootfs: string, dir: string, owner: CopyOwnership | undefined): Promise<void> {
  const exists = await lstat(dir).catch(() => undefined);
  if (exists?.isDirectory()) return;
  if (exists) throw invalid(`cannot copy to non-directory: ${dir.slice(rootfs.length) || '/'}`);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  if (owner) {
    await lchown(dir, owner.uid, owner.gid);
    if (owner.mode !== undefined) await chmod(dir, owner.mode);
  }
}

async function copyTree(src: string, dest: string, owner: CopyOwnership): Promise<void> {
  for (const name of await readdir(src)) await copyEntry(join(src, name), join(dest, name), owner);
}

async function copyEntry(src: string, dest: string, owner: CopyOwnership): Promise<void> {
  const st = await lstat(src);
  const there = await lstat(dest).catch(() => undefined);
  if (there && !(there.isDirectory() && st.isDirectory())) await rm(dest, { recursive: true, force: true });
  if (st.isSymbolicLink()) {
    await symlink(await readlink(src), dest);
  } else if (st.isDirectory()) {
    if (!there?.isDirectory()) await mkdir(dest);
    await copyTree(src, dest, owner);
  } else if (st.isFile()) {
    await copyFile(src, dest);
  } else {
    return; // sockets, fifos and devices in a context are not copied
  }
  await lchown(dest, owner.uid, owner.gid);
  if (!st.isSymbolicLink()) await chmod(dest, owner.mode ?? st.mode & 0o7777);
  await lutimes(dest, st.atime, st.mtime);
}

/** A local tar (plain or compressed) that ADD unpacks rather than copies. */
async function isArchive(path: string): Promise<boolean> {
  const fh = await import('node:fs/promises').then((m) => m.open(path, 'r'));
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await fh.read(head, 0, 512, 0);
    if (bytesRead >= 4 && head[0] === 0x1f && head[1] === 0x8b) return true;
    if (bytesRead >= 6 && head.subarray(0, 6).toString('latin1') === '\xfd7zXZ\0') return true;
    if (bytesRead >= 3 && head.subarray(0, 3).toString('latin1') === 'BZh') return true;
    if (bytesRead >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return true;
    return bytesRead === 512 && head.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    await fh.close();
  }
}

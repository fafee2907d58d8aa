import { chown, lstat, mkdir, open } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { USER_DB_LIMITS } from '../oci/user.js';

/**
 * Reads a small file inside a container's root filesystem without following symlinks in any
 * component (a hostile image could point /etc/passwd at a host file): undefined when absent,
 * a symlink, or not a regular file. Bounded to the user database limit.
 */
export async function readInRoot(root: string, path: string): Promise<string | undefined> {
  const parts = posix.normalize(`/${path}`).split('/').filter(Boolean);
  let cur = root;
  for (const part of parts) {
    cur = join(cur, part);
    const st = await lstat(cur).catch(() => undefined);
    if (!st || st.isSymbolicLink()) return undefined;
  }
  const fh = await open(cur, 'r').catch(() => undefined);
  if (!fh) return undefined;
  try {
    const st = await fh.stat();
    if (!st.isFile()) return undefined;
    const buf = Buffer.alloc(Math.min(st.size, USER_DB_LIMITS.bytes));
    await fh.read(buf, 0, buf.length, 0);
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}

/**
 * Creates the working directory inside the root filesystem as Docker does for WORKDIR; stops
 * (leaving the runtime to report the error) at a component that is a symlink or not a directory.
 */
export async function ensureDirInRoot(root: string, path: string, uid: number, gid: number): Promise<void> {
  const parts = posix.normalize(`/${path}`).split('/').filter(Boolean);
  let cur = root;
  for (const part of parts) {
    cur = join(cur, part);
    const st = await lstat(cur).catch(() => undefined);
    if (!st) {
      await mkdir(cur, { mode: 0o755 });
      await chown(cur, uid, gid).catch(() => undefined);
      continue;
    }
    if (!st.isDirectory()) return;
  }
}

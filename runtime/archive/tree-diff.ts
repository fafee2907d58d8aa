import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type TarWriteHeader, TarWriter } from './tar-writer.js';
import { WHITEOUT_PREFIX } from './whiteout.js';

function kind(st: Stats): string {
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFile()) return 'file';
  if (st.isFIFO()) return 'fifo';
  return 'other';
}

/** True when `now` differs from `before` in what a layer records (type, mode, owner, size, mtime, link target). */
async function changed(before: Stats, now: Stats, lowerPath: string, upperPath: string): Promise<boolean> {
  if (
    kind(before) !== kind(now) ||
    before.mode !== now.mode ||
    before.uid !== now.uid ||
    before.gid !== now.gid
  )
    return true;
  if (now.isDirectory()) return false;
  if (now.isSymbolicLink()) return (await readlink(lowerPath)) !== (await readlink(upperPath));
  return before.size !== now.size || Math.floor(before.mtimeMs) !== Math.floor(now.mtimeMs);
}

/**
 * The changes that turn the tree `lower` into the tree `upper`, as a layer tar (Docker's naive
 * diff, for snapshotters that keep full copies): new and changed entries, `.wh.<name>` for
 * removed ones, and the directories holding changes so their metadata travels with them.
 */
export function diffTrees(lower: string | undefined, upper: string): Readable {
  const writer = new TarWriter();
  const inodes = new Map<string, string>();
  const header = (name: string, st: Stats): Omit<TarWriteHeader, 'type'> => ({
    name,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    mtime: Math.floor(st.mtimeMs / 1000),
  });
  const emit = async (path: string, name: string, st: Stats): Promise<void> => {
    if (st.isDirectory()) await writer.add({ ...header(`${name}/`, st), type: 'directory' });
    else if (st.isSymbolicLink())
      await writer.add({ ...header(name, st), type: 'symlink', linkname: await readlink(path) });
    else if (st.isFIFO()) await writer.add({ ...header(name, st), type: 'fifo' });
    else if (st.isFile()) {
      const first = st.nlink > 1 ? inodes.get(`${st.dev}:${st.ino}`) : undefined;
      if (first) await writer.add({ ...header(name, st), type: 'link', linkname: first });
      else {
        // Opened first: a file a running container removes meanwhile is left out.
        const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
        if (!fh) return;
        if (st.nlink > 1) inodes.set(`${st.dev}:${st.ino}`, name);
        await writer.add({ ...header(name, st), type: 'file', size: st.size }, fh.createReadStream());
      }
    }
  };
  /** Writes the changes below `rel`; `announce` writes the directory's own entry once, before the first change. */
  const walk = async (rel: string, announce: () => Promise<void>): Promise<void> => {
    const upperDir = join(upper, rel);
    const lowerDir = lower === undefined ? undefined : join(lower, rel);
    const names = (await readdir(upperDir)).sort();
    const lowerNames = lowerDir === undefined ? [] : await readdir(lowerDir).catch(() => [] as string[]);
    for (const gone of lowerNames.filter((n) => !names.includes(n)).sort()) {
      await announce();
      await writer.add({
        name: rel ? `${rel}/${WHITEOUT_PREFIX}${gone}` : `${WHITEOUT_PREFIX}${gone}`,
        type: 'file',
        mode: 0o644,
      });
    }
    for (const name of names) {
      const entry = rel ? `${rel}/${name}` : name;
      const now = await lstat(join(upper, entry)).catch(() => undefined);
      if (!now) continue;
      const before =
        lowerDir === undefined ? undefined : await lstat(join(lowerDir, name)).catch(() => undefined);
      const differs =
        !before || (await changed(before, now, join(lowerDir as string, name), join(upper, entry)));
      let announced = false;
      const own = async () => {
        if (announced) return;
        announced = true;
        await announce();
        await emit(join(upper, entry), entry, now);
      };
      if (differs) await own();
      // A directory that was something else before starts afresh: nothing below it to compare.
      if (now.isDirectory()) await walk(entry, own);
    }
  };
  (async () => {
    await walk('', async () => undefined);
    await writer.finish();
  })().catch((err: Error) => writer.abort(err));
  return writer.stream;
}

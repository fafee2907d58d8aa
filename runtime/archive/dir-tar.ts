import { constants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Host } from '../host/host.js';
import { type TarWriteHeader, TarWriter } from './tar-writer.js';
import { OPAQUE_MARKER, OVERLAY_OPAQUE_XATTR, WHITEOUT_PREFIX } from './whiteout.js';
import { pathsWithAttr } from './xattrs.js';

/** How {@link tarDirectory} writes a tree. */
export interface DirTarOptions {
  /**
   * Turn overlayfs whiteouts back into layer whiteouts (0/0 char devices → `.wh.<name>`,
   * `trusted.overlay.opaque=y` → `<dir>/.wh..wh..opq`): for the upper dir of a container.
   */
  overlayWhiteouts?: boolean;
  /** Needed (for getfattr) with `overlayWhiteouts`. */
  host?: Host;
}

/** Linux's encoding of a device number into major/minor. */
function devParts(rdev: number): { devmajor: number; devminor: number } {
  return {
    devmajor: Number((BigInt(rdev) >> 8n) & 0xfffn) | Number((BigInt(rdev) >> 32n) & ~0xfffn),
    devminor: Number(BigInt(rdev) & 0xffn) | Number((BigInt(rdev) >> 12n) & ~0xffn),
  };
}

/** Directories carrying the overlay opaque xattr, from one getfattr run over the tree. */
export async function opaqueDirectories(host: Host, dir: string): Promise<Set<string>> {
  const res = await host.run(
    'getfattr',
    [
      '-R',
      '-P',
      '--absolute-names',
      '-d',
      '-m',
      `^${OVERLAY_OPAQUE_XATTR.replace(/\./g, '\\.')}$`,
      '-e',
      'text',
      dir,
    ],
    { allowFailure: true },
  );
  return new Set(pathsWithAttr(res.stdout, OVERLAY_OPAQUE_XATTR, 'y'));
}

/**
 * A tar stream of the tree under `dir` (entries relative, sorted, numeric owners, mtimes kept,
 * hardlinks as links, sockets skipped). Symlinks are archived, never followed.
 */
export function tarDirectory(dir: string, options: DirTarOptions = {}): Readable {
  const writer = new TarWriter();
  (async () => {
    const opaque =
      options.overlayWhiteouts && options.host
        ? await opaqueDirectories(options.host, dir)
        : new Set<string>();
    const inodes = new Map<string, string>();
    const walk = async (abs: string, rel: string): Promise<void> => {
      // A running container may remove entries while they are archived: those are skipped.
      const names = await readdir(abs).catch(() => [] as string[]);
      for (const name of names.sort()) {
        const path = join(abs, name);
        const entry = rel ? `${rel}/${name}` : name;
        const st = await lstat(path).catch(() => undefined);
        if (!st) continue;
        const base: Omit<TarWriteHeader, 'type'> = {
          name: entry,
          mode: st.mode & 0o7777,
          uid: st.uid,
          gid: st.gid,
          mtime: Math.floor(st.mtimeMs / 1000),
        };
        if (st.isCharacterDevice() && st.rdev === 0 && options.overlayWhiteouts) {
          await writer.add({
            ...base,
            name: rel ? `${rel}/${WHITEOUT_PREFIX}${name}` : `${WHITEOUT_PREFIX}${name}`,
            type: 'file',
            mode: 0o644,
          });
        } else if (st.isDirectory()) {
          await writer.add({ ...base, name: `${entry}/`, type: 'directory' });
          if (opaque.has(path))
            await writer.add({ ...base, name: `${entry}/${OPAQUE_MARKER}`, type: 'file', mode: 0o644 });
          await walk(path, entry);
        } else if (st.isSymbolicLink()) {
          const linkname = await readlink(path).catch(() => undefined);
          if (linkname !== undefined) await writer.add({ ...base, type: 'symlink', linkname });
        } else if (st.isFile()) {
          const inode = `${st.dev}:${st.ino}`;
          const first = st.nlink > 1 ? inodes.get(inode) : undefined;
          if (first) {
            await writer.add({ ...base, type: 'link', linkname: first });
          } else {
            // Opened first: a file removed meanwhile is skipped, one removed later still reads whole.
            const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
            if (fh) {
              if (st.nlink > 1) inodes.set(inode, entry);
              await writer.add({ ...base, type: 'file', size: st.size }, fh.createReadStream());
            }
          }
        } else if (st.isFIFO()) {
          await writer.add({ ...base, type: 'fifo' });
        } else if (st.isCharacterDevice() || st.isBlockDevice()) {
          await writer.add({
            ...base,
            type: st.isCharacterDevice() ? 'char' : 'block',
            ...devParts(st.rdev),
          });
        }
      }
    };
    await walk(dir, '');
    await writer.finish();
  })().catch((err: Error) => writer.abort(err));
  return writer.stream;
}

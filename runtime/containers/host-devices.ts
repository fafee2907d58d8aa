import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A device node as the OCI runtime spec's `linux.devices` lists it. */
export interface OciDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

// What Docker (libcontainer's HostDevices) leaves out: the runtime mounts its own pts, shm and
// mqueue, and the console belongs to the container's terminal.
const SKIPPED_DIRS = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);
const SKIPPED_FILES = new Set(['/dev/console']);

/** Linux's major and minor numbers of a 64-bit dev_t (glibc's gnu_dev_major/minor). */
export function splitDevT(rdev: bigint): { major: number; minor: number } {
  return {
    major: Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & 0xfffff000n)),
    minor: Number((rdev & 0xffn) | ((rdev >> 12n) & 0xffffff00n)),
  };
}

/**
 * Every character and block device under `root` (the host's /dev), for a privileged container,
 * which Docker gives all host devices. Symlinks and unreadable entries are skipped; read at each
 * start since devices come and go.
 */
export function hostDevices(root = '/dev'): OciDevice[] {
  const found: OciDevice[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(path);
      } else if ((e.isCharacterDevice() || e.isBlockDevice()) && !SKIPPED_FILES.has(path)) {
        try {
          const st = statSync(path, { bigint: true });
          found.push({
            path,
            type: e.isCharacterDevice() ? 'c' : 'b',
            ...splitDevT(st.rdev),
            fileMode: Number(st.mode & 0o7777n),
            uid: Number(st.uid),
            gid: Number(st.gid),
          });
        } catch {
          // gone meanwhile
        }
      }
    }
  };
  walk(root);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The name test images are tagged with, on every engine (never a real registry's image). */
export const TEST_IMAGE = 'berth-test/busybox:latest';

/** Image config changes for an import of the rootfs (`docker import --change`). */
export const TEST_IMAGE_CHANGES = ['CMD ["sh"]', 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin'];

/**
 * A root filesystem tarball made from Debian's busybox-static: /bin/busybox and a symlink per
 * applet, /etc/passwd and /etc/group with root and nobody, /tmp. Built once per machine and
 * cached in the temp directory; no registry is reachable here, so every test image starts here.
 */
export function busyboxRootfsTar(): string {
  const out = join(tmpdir(), 'berth-busybox-rootfs-v1.tar');
  if (existsSync(out)) return out;
  const dir = mkdtempSync(join(tmpdir(), 'berth-busybox-'));
  try {
    for (const d of ['bin', 'etc', 'tmp', 'root', 'var', 'proc', 'sys', 'dev', 'usr/bin', 'www']) {
      mkdirSync(join(dir, d), { recursive: true });
    }
    chmodSync(join(dir, 'tmp'), 0o1777);
    copyFileSync('/bin/busybox', join(dir, 'bin/busybox'));
    chmodSync(join(dir, 'bin/busybox'), 0o755);
    const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    for (const a of applets) if (a !== 'busybox') symlinkSync('busybox', join(dir, 'bin', a));
    writeFileSync(
      join(dir, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    );
    writeFileSync(join(dir, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    writeFileSync(join(dir, 'www/index.html'), 'hello from busybox\n');
    const tmp = `${out}.${process.pid}`;
    execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', dir, '-cf', tmp, '.']);
    renameSync(tmp, out);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

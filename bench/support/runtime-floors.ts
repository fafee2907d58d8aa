import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LinuxHost } from '../../runtime/host/linux-host.js';
import { startConmon } from '../../runtime/supervisor/conmon.js';

/**
 * The floors bench/engine-containers.ts sets berth against: bare `crun run` (on `crun spec`'s
 * config and on the engine's own bundle) and each fork of a run under conmon, timed alone.
 */

/** The absolute path of a command on PATH (conmon wants the runtime's). */
const onPath = (cmd: string) =>
  (process.env.PATH ?? '/usr/bin')
    .split(':')
    .map((d) => join(d, cmd))
    .find((p) => existsSync(p)) ?? cmd;

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Builds the busybox rootfs tarball (same recipe as the tests). */
export function rootfsTar(dir: string): string {
  const root = join(dir, 'rootfs');
  execFileSync('mkdir', [
    '-p',
    join(root, 'bin'),
    join(root, 'etc'),
    join(root, 'tmp'),
    join(root, 'proc'),
    join(root, 'sys'),
    join(root, 'dev'),
  ]);
  execFileSync('cp', ['/bin/busybox', join(root, 'bin/busybox')]);
  for (const a of execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((x) => x && x !== 'busybox')) {
    execFileSync('ln', ['-sf', 'busybox', join(root, 'bin', a)]);
  }
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\n');
  const tar = join(dir, 'rootfs.tar');
  execFileSync('tar', ['--numeric-owner', '-C', root, '-cf', tar, '.']);
  return tar;
}

/** Bare `crun run` of `true` on a bundle: the floor (`crun spec`'s config unless `bundle` has one). */
export function bareRuntime(
  dir: string,
  runtime: string,
  rounds: number,
  tag: string,
  bundle = join(dir, 'rootfs', '..'),
): number[] {
  if (!existsSync(join(bundle, 'config.json'))) {
    execFileSync(runtime, ['spec'], { cwd: bundle });
    const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
    spec.process.terminal = false;
    spec.process.args = ['true'];
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
  }
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    execFileSync(runtime, ['--root', join(dir, 'state'), 'run', `bench-${tag}-${i}`], {
      cwd: bundle,
      stdio: 'ignore',
    });
    times.push(ms(t));
  }
  return times;
}

/**
 * The engine's own config.json for a container (seccomp, masks, capabilities, cgroup, /etc
 * binds), made runnable without the engine: its own copy of the root filesystem, `true`, a
 * private network namespace instead of the engine's. The floor "on the same bundle".
 */
export function engineBundle(dir: string, tar: string, containerDir: string, tag: string): string {
  const bundle = join(dir, 'engine-bundle');
  mkdirSync(join(bundle, 'rootfs'), { recursive: true });
  execFileSync('tar', ['-C', join(bundle, 'rootfs'), '-xf', tar]);
  const spec = JSON.parse(readFileSync(join(containerDir, 'config.json'), 'utf8'));
  spec.root.path = join(bundle, 'rootfs');
  spec.process.args = ['true'];
  for (const ns of spec.linux.namespaces) delete ns.path;
  spec.linux.cgroupsPath = `/berth/bench-${tag}`;
  for (const m of spec.mounts) {
    if (m.type !== 'bind' || !m.source.startsWith(containerDir)) continue;
    const copy = join(bundle, m.source.slice(containerDir.length + 1));
    copyFileSync(m.source, copy);
    m.source = copy;
  }
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
  return bundle;
}

/** Resolves once `file` exists (conmon's exit record), watching its directory. */
function fileAppears(dir: string, file: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dir, () => {
      if (existsSync(file)) done();
    });
    const done = () => {
      watcher.close();
      resolve();
    };
    if (existsSync(file)) done();
  });
}

/**
 * The unavoidable forks of a run under conmon, on the engine's bundle, as the engine makes them:
 * conmon running `crun create`, `crun start`, the exit seen in conmon's exit file, `crun delete`.
 */
export async function forkFloors(
  dir: string,
  bundle: string,
  rounds: number,
  tag: string,
): Promise<Record<string, number[]>> {
  const host = new LinuxHost();
  const root = join(dir, 'fork-state');
  const out: Record<string, number[]> = { create: [], start: [], exit: [], delete: [], total: [] };
  for (let i = 0; i < rounds; i++) {
    const id = `bench-${tag}-conmon-${i}`;
    const run = join(dir, `fork-${i}`);
    for (const sub of ['exit', 'persist', 'sockets']) mkdirSync(join(run, sub), { recursive: true });
    const t0 = process.hrtime.bigint();
    await startConmon(host, 'conmon', {
      id,
      name: id,
      runtimePath: onPath('crun'),
      runtimeRoot: root,
      bundle,
      pidFile: join(run, 'pid'),
      conmonPidFile: join(run, 'conmon.pid'),
      exitDir: join(run, 'exit'),
      persistDir: join(run, 'persist'),
      socketDir: join(run, 'sockets'),
      logPath: join(run, 'log'),
      logSizeMax: 1 << 20,
      tty: false,
      stdin: false,
    });
    out.create?.push(ms(t0));
    let t = process.hrtime.bigint();
    const exited = fileAppears(join(run, 'exit'), join(run, 'exit', id));
    await host.run('crun', ['--root', root, 'start', id]);
    out.start?.push(ms(t));
    t = process.hrtime.bigint();
    await exited;
    out.exit?.push(ms(t));
    t = process.hrtime.bigint();
    await host.run('crun', ['--root', root, 'delete', '--force', id]);
    out.delete?.push(ms(t));
    out.total?.push(ms(t0));
  }
  return out;
}

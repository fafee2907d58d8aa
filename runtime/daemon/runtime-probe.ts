import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../host/host.js';

/** What crun 1.8 says on a hybrid cgroup host whose cgroup2 tree holds controllers. */
export const HYBRID_REFUSAL = /cgroups in hybrid mode not supported/;

/**
 * The smallest bundle that makes a runtime set up namespaces and cgroups and then try to exec:
 * an empty root with /dev and a program that does not exist. Failing at exec proves everything
 * before it (the cgroup setup a hybrid host breaks) works; nothing is left running.
 */
export function probeBundleConfig(id: string) {
  return {
    ociVersion: '1.0.2',
    process: { args: ['/berth-runtime-probe'], cwd: '/', user: { uid: 0, gid: 0 } },
    root: { path: 'rootfs', readonly: true },
    mounts: [],
    linux: { namespaces: [{ type: 'mount' }, { type: 'pid' }], cgroupsPath: `/${id}` },
  };
}

/** The outcome of a probe: whether the runtime can run containers here, and its words if not. */
export interface ProbeResult {
  ok: boolean;
  message: string;
}

/**
 * Runs the probe bundle with the runtime (about 50 ms) and reads its complaint: a refusal of
 * the cgroup layout means the runtime cannot run containers on this host.
 */
export async function probeOciRuntime(host: Host, runtimePath: string): Promise<ProbeResult> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-runtime-probe-'));
  const id = `berth-probe-${randomBytes(6).toString('hex')}`;
  try {
    await mkdir(join(dir, 'rootfs/dev'), { recursive: true });
    await writeFile(join(dir, 'config.json'), JSON.stringify(probeBundleConfig(id)));
    const state = join(dir, 'state');
    const res = await host.run(runtimePath, ['--root', state, 'run', '--bundle', dir, id], {
      allowFailure: true,
      timeoutMs: 10_000,
    });
    await host.run(runtimePath, ['--root', state, 'delete', '--force', id], {
      allowFailure: true,
      timeoutMs: 10_000,
    });
    const message = `${res.stderr}${res.stdout}`.trim();
    return { ok: !HYBRID_REFUSAL.test(message), message };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

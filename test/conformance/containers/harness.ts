import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { busyboxRootfsTar, TEST_IMAGE, TEST_IMAGE_CHANGES } from '../../support/busybox-rootfs.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';

const run = promisify(execFile);

/** The OCI runtimes the lifecycle suites run against. */
export const RUNTIMES = ['crun', 'runc'] as const;

/** An embedded engine with the test image imported, and a docker CLI pointed at it. */
export interface ContainerHarness {
  engine: EmbeddedEngine;
  /** Runs `docker <args>` against the engine; resolves with stdout, rejects with stderr. */
  docker(
    args: string[],
    opts?: { allowFailure?: boolean },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Raw API call; returns status and parsed body. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; text: string }>;
  /** Inspect of a container. */
  inspect(ref: string): Promise<ContainerInspect>;
  /** A name unique to this run. */
  name(suffix: string): string;
}

/** The parts of inspect the tests read. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  RestartCount: number;
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    ExitCode: number;
    Pid: number;
    Health?: { Status: string; FailingStreak: number; Log: unknown[] };
  };
}

/** Starts an engine on its own data root with `runtime`, imports the busybox test image. */
export async function startHarness(runtime: string): Promise<ContainerHarness> {
  const engine = await startEmbeddedEngine({ ociRuntime: runtime });
  const env = { ...process.env, DOCKER_HOST: engine.host, DOCKER_BUILDKIT: '0' };
  const docker: ContainerHarness['docker'] = async (args, opts = {}) => {
    try {
      const { stdout, stderr } = await run('docker', args, {
        env,
        timeout: 90_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      if (!opts.allowFailure) throw new Error(`docker ${args.join(' ')}: ${e.stderr ?? String(err)}`);
      return {
        code: typeof e.code === 'number' ? e.code : 1,
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? '',
      };
    }
  };
  const changes = TEST_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
  await docker(['import', ...changes, busyboxRootfsTar(), TEST_IMAGE]);
  const api: ContainerHarness['api'] = async (method, path, body) => {
    const r = await engine.client.request(method, path, body);
    return { status: r.status, body: r.body, text: r.text };
  };
  return {
    engine,
    docker,
    api,
    async inspect(ref) {
      const r = await api('GET', `/containers/${ref}/json`);
      if (r.status !== 200) throw new Error(`inspect ${ref}: ${r.status} ${r.text}`);
      return r.body as ContainerInspect;
    },
    name: (suffix) => `${engine.prefix}-${suffix}`,
  };
}

/** Removes every container of the engine (force) and checks nothing leaked. */
export async function cleanContainers(h: ContainerHarness): Promise<void> {
  const r = await h.api('GET', '/containers/json?all=1');
  const ids = (r.body as Array<{ Id: string }>).map((c) => c.Id);
  for (const id of ids) await h.api('DELETE', `/containers/${id}?force=1&v=1`);
  h.engine.assertNoLeaks(ids);
}

/**
 * Registers the suite hooks: an engine on `runtime` before the tests, every container removed
 * and a leak check after each test, the engine stopped at the end. Returns the harness getter.
 */
export function useHarness(runtime: string): () => ContainerHarness {
  let h: ContainerHarness | undefined;
  beforeAll(async () => {
    h = await startHarness(runtime);
  });
  afterEach(async () => {
    if (h) await cleanContainers(h);
  });
  afterAll(async () => {
    await h?.engine.stop();
  });
  return () => {
    if (!h) throw new Error('the engine did not start');
    return h;
  };
}

/** The v1 cgroup directory of `controller` holding `pid` on this host, read from /proc/<pid>/cgroup. */
export function cgroupDir(pid: number, controller: string): string {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1]?.split(',').includes(controller));
  const mount = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .find((f) => f[f.indexOf('-') + 1] === 'cgroup' && (f.at(-1) ?? '').split(',').includes(controller));
  if (!line || !mount?.[4]) throw new Error(`no ${controller} cgroup for pid ${pid}`);
  return `${mount[4]}${line.split(':').slice(2).join(':')}`;
}

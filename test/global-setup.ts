import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_IMAGE } from './support/busybox-rootfs.js';
import { dockerAvailable } from './support/docker-daemon.js';

/**
 * Runs once around every suite, so `npm test` works on a fresh machine as CI's does: prepares the
 * host for crun (a v1 hugetlb hierarchy on a hybrid cgroup host, as .ci/host-setup does) and, as
 * root, starts Debian's dockerd when no Docker daemon answers — the engine suites run against it
 * as the peer engine. At the end it stops only the dockerd it started (by PID) and removes the
 * test image from a daemon that did not have it before.
 */
let dockerd: ChildProcess | undefined;
let imageWasThere = true;

export async function setup(context?: { vitest?: { projects?: Array<{ name: string }> } }): Promise<void> {
  // The unit suite needs neither root nor engines: `npm run test:unit` stays a fast loop.
  const engineSuites = (context?.vitest?.projects ?? []).some((p) => p.name !== 'unit');
  if (!engineSuites || process.getuid?.() !== 0) return;
  spawnSync('bash', [join(import.meta.dirname, '..', '.ci', 'host-setup'), '--no-dockerd'], {
    stdio: 'inherit',
  });
  if (!dockerAvailable() && existsSync('/usr/sbin/dockerd')) {
    const log = join(tmpdir(), 'berth-test-dockerd.log');
    mkdirSync(tmpdir(), { recursive: true });
    dockerd = spawn('/usr/sbin/dockerd', [], { stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')] });
    const deadline = Date.now() + 60_000;
    while (!dockerAvailable(1_000) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    if (!dockerAvailable()) {
      throw new Error(`dockerd did not answer within 60 s:\n${readFileSync(log, 'utf8').slice(-2_000)}`);
    }
  }
  if (dockerAvailable()) {
    imageWasThere = spawnSync('docker', ['image', 'inspect', TEST_IMAGE], { stdio: 'ignore' }).status === 0;
  }
}

export async function teardown(): Promise<void> {
  if (!imageWasThere && dockerAvailable())
    spawnSync('docker', ['rmi', '-f', TEST_IMAGE], { stdio: 'ignore' });
  if (dockerd?.pid) {
    dockerd.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        dockerd?.kill('SIGKILL');
        resolve();
      }, 20_000);
      dockerd?.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../conformance/containers/harness.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { DOCKER_CLI } from '../../support/docker-cli.js';
import {
  DOCKER_SOCKET,
  dockerAvailable,
  dockerClient,
  ensureTestImage,
} from '../../support/docker-daemon.js';
import { mountsUnder } from '../../support/leak-check.js';

const run = promisify(execFile);

/** One engine the same `docker cp` scenario runs on; dockerd is the reference. */
interface Target {
  socket: string;
  prefix: string;
  /** Extra checks after each test (the embedded engine: nothing left mounted). */
  leaks(): string[];
}

type Result = { code: number; stdout: string; stderr: string };

function cli(t: () => Target) {
  return async (args: string[], allowFailure = false): Promise<Result> => {
    try {
      const env = { ...process.env, DOCKER_HOST: `unix://${t().socket}` };
      const { stdout, stderr } = await run(DOCKER_CLI, args, { env, maxBuffer: 16 << 20 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      if (!allowFailure) throw new Error(`docker ${args.join(' ')}: ${e.stderr ?? String(err)}`);
      return { code: Number(e.code) || 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
}

/** `PUT /containers/{id}/archive` with a tar body; status and message. */
function putArchive(
  socket: string,
  id: string,
  path: string,
  tar: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: socket,
        method: 'PUT',
        path: `/v1.41/containers/${id}/archive?path=${encodeURIComponent(path)}`,
        headers: { 'Content-Type': 'application/x-tar' },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(tar);
  });
}

const engines: Array<[string, () => Promise<{ target: Target; stop(): Promise<void> }>]> = [
  [
    'embedded',
    async () => {
      const h = await startHarness('crun');
      const leaks = () => mountsUnder(h.engine.dataRoot);
      return {
        target: { socket: h.engine.socketPath, prefix: h.engine.prefix, leaks },
        stop: () => h.engine.stop(),
      };
    },
  ],
];
if (dockerAvailable())
  engines.push([
    'dockerd',
    async () => {
      await ensureTestImage(dockerClient());
      const prefix = `berth-cp-${randomBytes(4).toString('hex')}`;
      return { target: { socket: DOCKER_SOCKET, prefix, leaks: () => [] }, stop: async () => undefined };
    },
  ]);

for (const [engineName, start] of engines) {
  describe(`docker cp sees volumes and binds on ${engineName}`, () => {
    let target: Target;
    let stop: () => Promise<void> = async () => undefined;
    let dir: string;
    const docker = cli(() => target);
    const made = { containers: [] as string[], volumes: [] as string[] };
    const name = (suffix: string) => `${target.prefix}-${suffix}`;
    const create = async (suffix: string, args: string[]) => {
      const id = (await docker(['create', '--name', name(suffix), ...args])).stdout.trim();
      made.containers.push(id);
      return id;
    };

    beforeAll(async () => {
      ({ target, stop } = await start());
      dir = mkdtempSync(join(tmpdir(), 'berth-cp-mounts-'));
      mkdirSync(join(dir, 'bind'));
      writeFileSync(join(dir, 'bind', 'b'), 'in the bind\n');
      writeFileSync(join(dir, 'hf'), 'from the host\n');
      chmodSync(dir, 0o755);
      await docker(['volume', 'create', name('vol')]);
      made.volumes.push(name('vol'));
    });
    afterAll(async () => {
      if (target) {
        for (const id of made.containers) await docker(['rm', '-f', '-v', id], true);
        for (const v of made.volumes) await docker(['volume', 'rm', '-f', v], true);
        await stop();
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('copies into and out of a created container’s named, anonymous and bind mounts', async () => {
      const bind = join(dir, 'bind');
      const id = await create('stopped', [
        ...['-v', `${name('vol')}:/vol`, '-v', '/anon', '-v', `${bind}:/bind`],
        ...[TEST_IMAGE, 'cat', '/vol/hf', '/anon/hf', '/bind/hf'],
      ]);
      for (const to of ['/vol/', '/anon/', '/bind/']) await docker(['cp', join(dir, 'hf'), `${id}:${to}`]);
      expect(readFileSync(join(bind, 'hf'), 'utf8')).toBe('from the host\n');
      expect(target.leaks()).toEqual([]);
      const listing = execFileSync('tar', ['-t'], {
        input: (await docker(['cp', `${id}:/vol`, '-'])).stdout,
      });
      expect(listing.toString().split('\n')).toContain('vol/hf');
      expect((await docker(['cp', `${id}:/bind/b`, '-'])).stdout).toContain('in the bind\n');
      expect((await docker(['start', '-a', id])).stdout).toBe('from the host\n'.repeat(3));
      // The copy went into the volume itself, not into the container's own layer.
      const other = await docker(['run', '--rm', '-v', `${name('vol')}:/v`, TEST_IMAGE, 'cat', '/v/hf']);
      expect(other.stdout).toBe('from the host\n');
      expect(target.leaks()).toEqual([]);
    });

    it('refuses writes into read-only mounts and a read-only root filesystem, as dockerd words it', async () => {
      const bind = join(dir, 'bind');
      const ro = await create('ro', ['-v', `${bind}:/robind:ro`, TEST_IMAGE, 'true']);
      const refused = await docker(['cp', join(dir, 'hf'), `${ro}:/robind/`], true);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/mounted volume is marked read-only/);
      const tar = execFileSync('tar', ['-C', dir, '-cf', '-', 'hf']);
      const api = await putArchive(target.socket, ro, '/robind', tar);
      expect(api.status).toBe(500);
      expect(JSON.parse(api.text).message).toBe('mounted volume is marked read-only');
      expect((await putArchive(target.socket, ro, '/tmp', tar)).status).toBe(200);

      const rootRo = await create('rootro', ['--read-only', '-v', `${name('vol')}:/vol`, TEST_IMAGE, 'true']);
      const rootRefused = await docker(['cp', join(dir, 'hf'), `${rootRo}:/tmp/`], true);
      expect(rootRefused.stderr).toMatch(/container rootfs is marked read-only/);
      await docker(['cp', join(dir, 'hf'), `${rootRo}:/vol/ro-root`]);

      const running = await create('running-ro', ['-v', `${bind}:/robind:ro`, TEST_IMAGE, 'sleep', '300']);
      await docker(['start', running]);
      const whileUp = await docker(['cp', join(dir, 'hf'), `${running}:/robind/`], true);
      expect(whileUp.stderr).toMatch(/mounted volume is marked read-only/);
      expect((await docker(['cp', `${running}:/robind/b`, '-'])).stdout).toContain('in the bind\n');
      await docker(['rm', '-f', running]);
      expect(readFileSync(join(bind, 'b'), 'utf8')).toBe('in the bind\n');
      expect(target.leaks()).toEqual([]);
    });
  });
}

import { describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { eventually } from '../../support/eventually.js';
import { RUNTIMES, useHarness } from './harness.js';

for (const runtime of RUNTIMES) {
  describe(`container lifecycle [${runtime}]`, () => {
    const harness = useHarness(runtime);

    it('create → start → pause → unpause → stop → remove, with Docker status codes for each guard', async () => {
      const h = harness();
      const create = await h.api('POST', `/containers/create?name=${h.name('life')}`, {
        Image: TEST_IMAGE,
        Cmd: ['sleep', '300'],
      });
      expect(create.status).toBe(201);
      const id = (create.body as { Id: string }).Id;
      expect((await h.inspect(id)).State.Status).toBe('created');
      expect((await h.api('POST', `/containers/${id}/kill`)).status).toBe(409);
      expect((await h.api('POST', `/containers/${id}/stop`)).status).toBe(304);
      expect((await h.api('POST', `/containers/${id}/start`)).status).toBe(204);
      expect((await h.api('POST', `/containers/${id}/start`)).status).toBe(304);
      const running = await h.inspect(id);
      expect(running.State).toMatchObject({ Status: 'running', Running: true });
      expect(running.State.Pid).toBeGreaterThan(0);
      expect((await h.api('POST', `/containers/${id}/pause`)).status).toBe(204);
      expect((await h.api('POST', `/containers/${id}/pause`)).status).toBe(409);
      expect((await h.inspect(id)).State).toMatchObject({ Status: 'paused', Paused: true });
      expect((await h.api('POST', `/containers/${id}/unpause`)).status).toBe(204);
      expect((await h.api('DELETE', `/containers/${id}`)).status).toBe(409);
      // sleep as PID 1 ignores SIGTERM: SIGKILL after the 1 s timeout.
      expect((await h.api('POST', `/containers/${id}/stop?t=1`)).status).toBe(204);
      expect((await h.inspect(id)).State).toMatchObject({ Status: 'exited', ExitCode: 137 });
      expect((await h.api('POST', `/containers/${id}/stop`)).status).toBe(304);
      expect((await h.api('DELETE', `/containers/${id}`)).status).toBe(204);
      expect((await h.api('GET', `/containers/${id}/json`)).status).toBe(404);
    });

    it('records exit codes, honours the stop signal, and wait answers with the code', async () => {
      const h = harness();
      const { stdout } = await h.docker([
        'run',
        '-d',
        '--name',
        h.name('code'),
        TEST_IMAGE,
        'sh',
        '-c',
        'exit 42',
      ]);
      const id = stdout.trim();
      const wait = await h.api('POST', `/containers/${id}/wait`);
      expect(wait.body).toMatchObject({ StatusCode: 42 });
      expect((await h.inspect(id)).State.ExitCode).toBe(42);
      const trap = (
        await h.docker([
          'run',
          '-d',
          TEST_IMAGE,
          'sh',
          '-c',
          'trap "exit 0" TERM; while true; do sleep 0.1; done',
        ])
      ).stdout.trim();
      await eventually(async () => (await h.inspect(trap)).State.Status === 'running');
      expect((await h.api('POST', `/containers/${trap}/stop?t=30`)).status).toBe(204);
      expect((await h.inspect(trap)).State.ExitCode).toBe(0);
    });

    it('kill sends the signal; rm -f removes a running container; exec reports exit codes', async () => {
      const h = harness();
      const id = (await h.docker(['run', '-d', TEST_IMAGE, 'sleep', '300'])).stdout.trim();
      const exec = await h.docker(['exec', id, 'sh', '-c', 'echo out; echo err >&2; exit 5'], {
        allowFailure: true,
      });
      expect(exec).toMatchObject({ code: 5, stdout: 'out\n', stderr: 'err\n' });
      await h.docker(['kill', '-s', 'KILL', id]);
      expect((await h.inspect(id)).State).toMatchObject({ Status: 'exited', ExitCode: 137 });
      const other = (await h.docker(['run', '-d', TEST_IMAGE, 'sleep', '300'])).stdout.trim();
      await h.docker(['rm', '-f', other]);
      expect((await h.api('GET', `/containers/${other}/json`)).status).toBe(404);
    });

    it('serves logs with stream selection, tail and timestamps', async () => {
      const h = harness();
      const id = (
        await h.docker(['run', '-d', TEST_IMAGE, 'sh', '-c', 'echo one; echo two >&2; echo three'])
      ).stdout.trim();
      await h.api('POST', `/containers/${id}/wait`);
      const all = await h.docker(['logs', id]);
      expect(all.stdout).toBe('one\nthree\n');
      expect(all.stderr).toBe('two\n');
      expect((await h.docker(['logs', '-t', id])).stdout).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z one\n/,
      );
      const seq = (
        await h.docker(['run', '-d', TEST_IMAGE, 'sh', '-c', 'echo a; echo b; echo c'])
      ).stdout.trim();
      await h.api('POST', `/containers/${seq}/wait`);
      expect((await h.docker(['logs', '--tail', '2', seq])).stdout).toBe('b\nc\n');
    });

    it('lists with filters and server-built Status strings', async () => {
      const h = harness();
      const up = (
        await h.docker(['run', '-d', '--label', 'tier=web', TEST_IMAGE, 'sleep', '300'])
      ).stdout.trim();
      const done = (await h.docker(['run', '-d', TEST_IMAGE, 'true'])).stdout.trim();
      await h.api('POST', `/containers/${done}/wait`);
      const running = (await h.api('GET', '/containers/json')).body as Array<{ Id: string; Status: string }>;
      expect(running.map((c) => c.Id)).toEqual([up]);
      expect(running[0]?.Status).toMatch(/^Up /);
      const byLabel = (
        await h.api('GET', `/containers/json?all=1&filters=${encodeURIComponent('{"label":["tier=web"]}')}`)
      ).body as unknown[];
      expect(byLabel).toHaveLength(1);
      const exited = (
        await h.api(
          'GET',
          `/containers/json?all=1&filters=${encodeURIComponent('{"status":{"exited":true}}')}`,
        )
      ).body as Array<{ Id: string; Status: string }>;
      expect(exited.map((c) => c.Id)).toEqual([done]);
      expect(exited[0]?.Status).toMatch(/^Exited \(0\) .* ago$/);
    });
  });
}

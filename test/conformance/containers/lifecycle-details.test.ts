import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { eventually } from '../../support/eventually.js';
import { type ContainerHarness, cgroupDir, useHarness } from './harness.js';

/**
 * Starts POST /containers/{id}/wait over the engine's socket; resolves `headers` with the status
 * as soon as the response head arrives, and `body` when the wait answers.
 */
function waitRaw(h: ContainerHarness, id: string, condition: string) {
  let onHead: (status: number) => void = () => {};
  const headers = new Promise<number>((r) => {
    onHead = r;
  });
  const body = new Promise<string>((resolve, reject) => {
    const req = request(
      {
        socketPath: h.engine.socketPath,
        method: 'POST',
        path: `/v1.41/containers/${id}/wait?condition=${condition}`,
      },
      (res) => {
        onHead(res.statusCode ?? 0);
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
    req.end();
  });
  return { headers, body };
}

describe('pause, wait, health check forms and log bounds [crun]', () => {
  const harness = useHarness('crun');

  it('pause freezes the cgroup (freezer FROZEN), unpause thaws it', async () => {
    const h = harness();
    const id = (await h.docker(['run', '-d', TEST_IMAGE, 'sleep', '300'])).stdout.trim();
    const dir = cgroupDir((await h.inspect(id)).State.Pid, 'freezer');
    expect(readFileSync(`${dir}/freezer.state`, 'utf8').trim()).toBe('THAWED');
    await h.docker(['pause', id]);
    expect(readFileSync(`${dir}/freezer.state`, 'utf8').trim()).toBe('FROZEN');
    await h.docker(['unpause', id]);
    expect(readFileSync(`${dir}/freezer.state`, 'utf8').trim()).toBe('THAWED');
    expect((await h.docker(['exec', id, 'echo', 'thawed'])).stdout).toBe('thawed\n');
  });

  it('wait flushes its headers at once, then answers with the exit code when the container stops', async () => {
    const h = harness();
    const id = (await h.docker(['run', '-d', TEST_IMAGE, 'sleep', '300'])).stdout.trim();
    const notRunning = waitRaw(h, id, 'not-running');
    const nextExit = waitRaw(h, id, 'next-exit');
    // The head arrives while the container still runs: clients (docker run) rely on it.
    expect(await notRunning.headers).toBe(200);
    expect(await nextExit.headers).toBe(200);
    expect((await h.inspect(id)).State.Status).toBe('running');
    await h.docker(['kill', id]);
    expect(JSON.parse(await notRunning.body)).toMatchObject({ StatusCode: 137 });
    expect(JSON.parse(await nextExit.body)).toMatchObject({ StatusCode: 137 });
    const removed = waitRaw(h, id, 'removed');
    expect(await removed.headers).toBe(200);
    await h.docker(['rm', id]);
    expect(JSON.parse(await removed.body)).toMatchObject({ StatusCode: 137 });
  });

  it('health checks: CMD (exec form) turns healthy, NONE disables, failures in the start period do not count', async () => {
    const h = harness();
    const create = async (Healthcheck: Record<string, unknown>) => {
      const r = await h.api('POST', '/containers/create', {
        Image: TEST_IMAGE,
        Cmd: ['sleep', '300'],
        Healthcheck,
      });
      const id = (r.body as { Id: string }).Id;
      expect((await h.api('POST', `/containers/${id}/start`)).status).toBe(204);
      return id;
    };
    const ms = 1_000_000;
    const exec = await create({ Test: ['CMD', 'test', '-d', '/proc/1'], Interval: 200 * ms, Retries: 1 });
    const none = await create({ Test: ['NONE'] });
    const grace = await create({
      Test: ['CMD', 'false'],
      Interval: 200 * ms,
      Retries: 1,
      StartPeriod: 300_000 * ms,
    });
    await eventually(async () => (await h.inspect(exec)).State.Health?.Status === 'healthy', {
      what: 'CMD healthy',
    });
    // The failing probe has run several times by now (its log shows them), yet it stays starting.
    const g = await eventually(
      async () => {
        const c = await h.inspect(grace);
        if ((c.State.Health?.Log.length ?? 0) < 2) throw new Error('fewer than two probes so far');
        return c;
      },
      { what: 'two probes in the start period' },
    );
    expect(g.State.Health).toMatchObject({ Status: 'starting', FailingStreak: 0 });
    expect((await h.inspect(none)).State.Health).toBeUndefined();
    const ps = (await h.docker(['ps', '--filter', `id=${grace}`, '--format', '{{.Status}}'])).stdout;
    expect(ps).toMatch(/\(health: starting\)/);
  });

  it('bounds a chatty container log to its max-size, keeping the newest lines readable', async () => {
    const h = harness();
    const name = h.name('chatty');
    // ~1.3 MB of output against a 64 KiB bound.
    const script =
      'i=0; while [ $i -lt 20000 ]; do echo "line $i padded to sixty-odd bytes ........"; i=$((i+1)); done';
    await h.docker(['run', '--name', name, '--log-opt', 'max-size=64k', TEST_IMAGE, 'sh', '-c', script]);
    const { LogPath } = (await h.api('GET', `/containers/${name}/json`)).body as { LogPath: string };
    // The bound plus at most one record in flight.
    expect(statSync(LogPath).size).toBeLessThanOrEqual(64 * 1024 + 4096);
    const tail = await eventually(async () => (await h.docker(['logs', '--tail', '1', name])).stdout, {
      what: 'the last line',
    });
    expect(tail).toBe('line 19999 padded to sixty-odd bytes ........\n');
    const all = (await h.docker(['logs', name])).stdout.split('\n').filter(Boolean);
    expect(all.length).toBeGreaterThan(100);
    expect(all.length).toBeLessThan(20000);
  });
});

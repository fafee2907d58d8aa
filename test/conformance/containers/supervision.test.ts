import { describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { eventually } from '../../support/eventually.js';
import { type ContainerHarness, useHarness } from './harness.js';

/** Container events of one container since `since` (unix seconds), as the engine's /events replays them. */
async function eventsOf(
  h: ContainerHarness,
  id: string,
  since: number,
): Promise<Array<{ Action: string; timeNano: number }>> {
  const until = Math.ceil(Date.now() / 1000) + 1;
  const r = await h.api(
    'GET',
    `/events?since=${since}&until=${until}&filters=${encodeURIComponent(JSON.stringify({ container: [id] }))}`,
  );
  return r.text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { Action: string; timeNano: number });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('restart policies, health checks and engine restarts [crun]', () => {
  const harness = useHarness('crun');

  it('on-failure:3 restarts a failing container three times, then leaves it exited; the count survives an engine restart', async () => {
    const h = harness();
    const id = (
      await h.docker(['run', '-d', '--restart', 'on-failure:3', TEST_IMAGE, 'sh', '-c', 'exit 3'])
    ).stdout.trim();
    const final = await eventually(
      async () => {
        const c = await h.inspect(id);
        if (c.State.Status !== 'exited' || c.RestartCount !== 3)
          throw new Error(`${c.State.Status} after ${c.RestartCount} restarts`);
        return c;
      },
      { timeoutMs: 30_000, what: 'three restarts' },
    );
    expect(final.State.ExitCode).toBe(3);
    // RestartCount is persisted: an engine restarted on the same data root still reports it.
    await h.engine.restart();
    expect((await h.inspect(id)).RestartCount).toBe(3);
  });

  it('backs off a crash loop: each restart waits at least 100 ms, doubling', async () => {
    const h = harness();
    const since = Math.floor(Date.now() / 1000);
    const id = (
      await h.docker(['run', '-d', '--restart', 'always', TEST_IMAGE, 'sh', '-c', 'exit 1'])
    ).stdout.trim();
    await eventually(async () => (await h.inspect(id)).RestartCount >= 4, {
      timeoutMs: 30_000,
      what: 'four restarts',
    });
    await h.docker(['stop', id]);
    const events = await eventsOf(h, id, since);
    const dies = events.filter((e) => e.Action === 'die').map((e) => e.timeNano);
    const starts = events.filter((e) => e.Action === 'start').map((e) => e.timeNano);
    // Lower bounds only: the engine must wait at least the backoff (a slow machine may wait longer).
    for (let k = 0; k < 4; k++) {
      const gapMs = ((starts[k + 1] ?? 0) - (dies[k] ?? 0)) / 1e6;
      expect(gapMs).toBeGreaterThanOrEqual(100 * 2 ** k - 5);
    }
    expect((await h.inspect(id)).State.Status).toBe('exited');
  });

  it('a manual stop suspends the policy', async () => {
    const h = harness();
    const id = (
      await h.docker(['run', '-d', '--restart', 'always', TEST_IMAGE, 'sleep', '300'])
    ).stdout.trim();
    await h.docker(['stop', '-t', '0', id]);
    const c = await h.inspect(id);
    expect(c.State.Status).toBe('exited');
    expect(c.RestartCount).toBe(0);
  });

  it('reports health: starting → healthy, then unhealthy after the retries, with events, never restarting', async () => {
    const h = harness();
    const since = Math.floor(Date.now() / 1000);
    const id = (
      await h.docker([
        'run',
        '-d',
        '--health-cmd',
        'test ! -e /tmp/sick',
        '--health-interval',
        '1s',
        '--health-retries',
        '2',
        '--health-timeout',
        '5s',
        TEST_IMAGE,
        'sleep',
        '300',
      ])
    ).stdout.trim();
    expect((await h.inspect(id)).State.Health?.Status).toMatch(/starting|healthy/);
    await eventually(async () => (await h.inspect(id)).State.Health?.Status === 'healthy', {
      what: 'healthy',
    });
    const ps = (await h.docker(['ps', '--filter', `id=${id}`, '--format', '{{.Status}}'])).stdout;
    expect(ps).toMatch(/\(healthy\)/);
    await h.docker(['exec', id, 'touch', '/tmp/sick']);
    const sick = await eventually(
      async () => {
        const c = await h.inspect(id);
        if (c.State.Health?.Status !== 'unhealthy') throw new Error(String(c.State.Health?.Status));
        return c;
      },
      { what: 'unhealthy' },
    );
    expect(sick.State.Health?.FailingStreak).toBeGreaterThanOrEqual(2);
    expect(sick.State.Status).toBe('running');
    expect(sick.RestartCount).toBe(0);
    const actions = (await eventsOf(h, id, since)).map((e) => e.Action);
    expect(actions).toContain('health_status: healthy');
    expect(actions).toContain('health_status: unhealthy');
  });

  it('a probe that exceeds its timeout counts as a failure and is killed inside the container', async () => {
    const h = harness();
    const id = (
      await h.docker([
        'run',
        '-d',
        '--health-cmd',
        'sleep 77',
        '--health-interval',
        '1s',
        '--health-timeout',
        '1s',
        '--health-retries',
        '1',
        TEST_IMAGE,
        'sleep',
        '300',
      ])
    ).stdout.trim();
    const sick = await eventually(
      async () => {
        const c = await h.inspect(id);
        if (c.State.Health?.Status !== 'unhealthy') throw new Error(String(c.State.Health?.Status));
        return c;
      },
      { what: 'unhealthy after a timeout' },
    );
    expect(JSON.stringify(sick.State.Health?.Log)).toContain('Health check exceeded timeout');
    await eventually(async () => !(await h.docker(['top', id])).stdout.includes('sleep 77'), {
      what: 'probe killed',
    });
  });

  it('keeps containers across an engine kill -9: running ones stay managed, exits meanwhile are recorded', async () => {
    const h = harness();
    const longRunning = (await h.docker(['run', '-d', TEST_IMAGE, 'sleep', '300'])).stdout.trim();
    const shortLived = (
      await h.docker(['run', '-d', TEST_IMAGE, 'sh', '-c', 'sleep 5; exit 7'])
    ).stdout.trim();
    const stopped = (
      await h.docker(['run', '-d', '--restart', 'unless-stopped', TEST_IMAGE, 'sleep', '300'])
    ).stdout.trim();
    await h.docker(['stop', '-t', '0', stopped]);
    const always = (
      await h.docker(['run', '-d', '--restart', 'always', TEST_IMAGE, 'sleep', '300'])
    ).stdout.trim();
    await h.docker(['stop', '-t', '0', always]);
    const pid = (await h.inspect(longRunning)).State.Pid;
    const shortPid = (await h.inspect(shortLived)).State.Pid;
    await h.engine.kill9();
    // The short-lived one exits while the engine is down; conmon records its code.
    await eventually(() => !alive(shortPid), { what: 'short-lived container gone' });
    await h.engine.restart();
    const c1 = await h.inspect(longRunning);
    expect(c1.State).toMatchObject({ Status: 'running', Pid: pid });
    await eventually(async () => (await h.inspect(shortLived)).State.Status === 'exited', {
      what: 'exit recorded',
    });
    expect((await h.inspect(shortLived)).State.ExitCode).toBe(7);
    expect((await h.inspect(stopped)).State.Status).toBe('exited');
    await eventually(async () => (await h.inspect(always)).State.Status === 'running', {
      what: 'always restarted',
    });
    await h.docker(['stop', '-t', '1', longRunning]);
    expect((await h.inspect(longRunning)).State.ExitCode).toBe(137);
  });

  it('keeps running containers across a graceful engine restart', async () => {
    const h = harness();
    const id = (await h.docker(['run', '-d', TEST_IMAGE, 'sleep', '300'])).stdout.trim();
    const pid = (await h.inspect(id)).State.Pid;
    await h.engine.restart();
    expect((await h.inspect(id)).State).toMatchObject({ Status: 'running', Pid: pid });
    expect((await h.docker(['exec', id, 'echo', 'still here'])).stdout).toBe('still here\n');
    await h.docker(['kill', id]);
    expect((await h.inspect(id)).State.Status).toBe('exited');
  });
});

import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { useHarness } from './harness.js';

interface StatsBody {
  id: string;
  read: string;
  pids_stats: { current: number };
  memory_stats: { usage: number; limit: number };
  cpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage: number; online_cpus: number };
  precpu_stats: { cpu_usage: { total_usage: number } };
  networks?: Record<string, { rx_bytes: number }>;
}

/** The first `count` bodies of a stats stream, then the connection is closed. */
function streamedBodies(socketPath: string, id: string, count: number): Promise<StatsBody[]> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: `/containers/${id}/stats`, method: 'GET' }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
        const lines = text.split('\n').filter(Boolean);
        if (text.endsWith('\n') && lines.length >= count) {
          req.destroy();
          resolve(lines.slice(0, count).map((l) => JSON.parse(l) as StatsBody));
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('container stats (crun)', () => {
  const h = useHarness('crun');

  it('one-shot and two-sample bodies from the cgroup; docker stats --no-stream reads them', async () => {
    const name = h().name('busy');
    const id = (
      await h().docker([
        'run',
        '-d',
        '--name',
        name,
        '-m',
        '64m',
        TEST_IMAGE,
        'sh',
        '-c',
        'while :; do :; done',
      ])
    ).stdout.trim();

    const once = (await h().api('GET', `/containers/${id}/stats?stream=false&one-shot=true`))
      .body as StatsBody;
    expect(once.id).toBe(id);
    expect(once.pids_stats.current).toBeGreaterThanOrEqual(1);
    expect(once.memory_stats.usage).toBeGreaterThan(0);
    expect(once.memory_stats.limit).toBe(64 * 1024 * 1024);
    expect(once.cpu_stats.cpu_usage.total_usage).toBeGreaterThan(0);
    expect(once.cpu_stats.online_cpus).toBeGreaterThan(0);
    expect(once.precpu_stats.cpu_usage.total_usage).toBe(0);
    expect(Object.keys(once.networks ?? {})).toEqual(['eth0']);

    const twice = (await h().api('GET', `/containers/${id}/stats?stream=false`)).body as StatsBody;
    expect(twice.precpu_stats.cpu_usage.total_usage).toBeGreaterThan(0);
    expect(twice.cpu_stats.cpu_usage.total_usage).toBeGreaterThanOrEqual(
      twice.precpu_stats.cpu_usage.total_usage,
    );

    const table = await h().docker([
      'stats',
      '--no-stream',
      '--format',
      '{{.Name}} {{.MemUsage}} {{.PIDs}}',
      name,
    ]);
    expect(table.stdout.trim()).toMatch(new RegExp(`^${name} \\S+ / 64MiB [1-9]\\d*$`));
  });

  it('a stream sends a body a second, each carrying the previous sample', async () => {
    const id = (await h().docker(['run', '-d', TEST_IMAGE, 'sleep', '300'])).stdout.trim();
    const [first, second] = await streamedBodies(h().engine.socketPath, id, 2);
    expect(first?.id).toBe(id);
    expect(second?.precpu_stats.cpu_usage.total_usage).toBe(first?.cpu_stats.cpu_usage.total_usage);
  });

  it('a stopped container answers one body of zeros', async () => {
    const id = (await h().docker(['create', TEST_IMAGE, 'true'])).stdout.trim();
    const r = await h().api('GET', `/containers/${id}/stats?stream=false`);
    expect(r.status).toBe(200);
    const body = r.body as StatsBody;
    expect(body.read).toBe('0001-01-01T00:00:00Z');
    expect(body.pids_stats.current).toBe(0);
  });

  it('an unknown container is 404', async () => {
    expect((await h().api('GET', '/containers/nope-never/stats?stream=false')).status).toBe(404);
  });
});

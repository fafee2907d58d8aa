import { describe, expect, it } from 'vitest';
import {
  blkioEntries,
  networkStats,
  type StatsContext,
  statsBody,
  systemCpuUsage,
} from '../../../../runtime/containers/stats-body.js';

const ctx: StatsContext = {
  read: '2026-01-02T03:04:05.000Z',
  hostMemory: 8 * 1024 ** 3,
  onlineCpus: 2,
  ticksPerSecond: 100,
  id: 'c0ffee',
  name: '/web',
};

const NET_DEV = [
  'Inter-|   Receive                                                |  Transmit',
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
  '    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0',
  '  eth0:    1252      14    1    2    0     0          0         0      516       6    3    4    0     0       0          0',
].join('\n');

describe('stats bodies from cgroup v1 files', () => {
  it('reads memory, cpu, pids, blkio and network figures in Docker’s shape', () => {
    const body = statsBody(
      {
        memoryUsage: '221184\n',
        memoryMaxUsage: '450000\n',
        memoryLimit: '67108864\n',
        memoryFailcnt: '0\n',
        memoryStat: 'cache 4096\nrss 200000\ntotal_inactive_file 4096\n',
        cpuUsage: '2248119739\n',
        cpuPercpu: '1000000000 1248119739 \n',
        cpuacctStat: 'user 200\nsystem 20\n',
        cpuStat: 'nr_periods 5\nnr_throttled 1\nthrottled_time 300\n',
        pidsCurrent: '3\n',
        pidsMax: '100\n',
        blkioBytes: '8:0 Read 4096\n8:0 Write 0\nTotal 4096\n',
        procStat: 'cpu  100 0 50 800 10 0 0 0 0 0\ncpu0 50 0 25 400 5 0 0 0 0 0\n',
        netDev: NET_DEV,
      },
      ctx,
      undefined,
    );
    expect(body).toMatchObject({
      read: ctx.read,
      preread: '0001-01-01T00:00:00Z',
      id: 'c0ffee',
      name: '/web',
      pids_stats: { current: 3, limit: 100 },
      memory_stats: {
        usage: 221184,
        max_usage: 450000,
        limit: 67108864,
        failcnt: 0,
        stats: { cache: 4096, rss: 200000, total_inactive_file: 4096 },
      },
      cpu_stats: {
        cpu_usage: {
          total_usage: 2248119739,
          percpu_usage: [1000000000, 1248119739],
          usage_in_usermode: 2e9,
          usage_in_kernelmode: 2e8,
        },
        system_cpu_usage: 9.6e9,
        online_cpus: 2,
        throttling_data: { periods: 5, throttled_periods: 1, throttled_time: 300 },
      },
      precpu_stats: { cpu_usage: { total_usage: 0 } },
      blkio_stats: {
        io_service_bytes_recursive: [
          { major: 8, minor: 0, op: 'Read', value: 4096 },
          { major: 8, minor: 0, op: 'Write', value: 0 },
        ],
      },
      networks: { eth0: { rx_bytes: 1252, rx_packets: 14, rx_errors: 1, rx_dropped: 2, tx_bytes: 516 } },
    });
  });

  it('reports the machine’s memory when the cgroup has no limit, and no pids limit for "max"', () => {
    const body = statsBody({ memoryLimit: '9223372036854771712\n', pidsMax: 'max\n' }, ctx, undefined);
    expect((body.memory_stats as { limit: number }).limit).toBe(ctx.hostMemory);
    expect(body.pids_stats).toEqual({ current: 0 });
    expect('networks' in body).toBe(false);
  });

  it('carries the previous sample as precpu_stats', () => {
    const pre = { read: '2026-01-02T03:04:04.000Z', cpu: { cpu_usage: { total_usage: 7 } } };
    const body = statsBody({}, ctx, pre);
    expect(body.preread).toBe(pre.read);
    expect(body.precpu_stats).toBe(pre.cpu);
  });

  it('parses its inputs defensively', () => {
    expect(systemCpuUsage(undefined, 100)).toBe(0);
    expect(systemCpuUsage('cpu  1 1 1 1 1 1 1 1 9 9\n', 100)).toBe(8e7);
    expect(networkStats(NET_DEV)).not.toHaveProperty('lo');
    expect(blkioEntries('Total 0\n')).toBeNull();
  });
});

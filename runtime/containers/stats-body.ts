/**
 * `GET /containers/{id}/stats` bodies in the Docker Engine API's shape, built from the text of
 * cgroup v1 files (memory, cpuacct, cpu, pids, blkio), `/proc/stat` and the container's
 * `/proc/<pid>/net/dev`. Pure: the reader (stats-reader.ts) only gathers the files.
 */

/** The raw files of one sample; a missing file is undefined (its figures are then 0 or absent). */
export interface StatsFiles {
  memoryUsage?: string;
  memoryMaxUsage?: string;
  memoryLimit?: string;
  memoryFailcnt?: string;
  memoryStat?: string;
  cpuUsage?: string;
  cpuPercpu?: string;
  cpuacctStat?: string;
  cpuStat?: string;
  pidsCurrent?: string;
  pidsMax?: string;
  blkioBytes?: string;
  blkioOps?: string;
  procStat?: string;
  netDev?: string;
}

/** What else a sample needs: when it was read, the machine's memory and CPUs, the container. */
export interface StatsContext {
  read: string;
  hostMemory: number;
  onlineCpus: number;
  /** Clock ticks per second of `/proc/stat` and `cpuacct.stat` (USER_HZ, 100 on Linux). */
  ticksPerSecond: number;
  id: string;
  name: string;
}

const num = (text: string | undefined): number => {
  const n = Number((text ?? '').trim());
  return Number.isFinite(n) ? n : 0;
};

/** `key value` lines (memory.stat, cpu.stat, cpuacct.stat) as a record of numbers. */
export function keyValues(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && Number.isFinite(Number(value))) out[key] = Number(value);
  }
  return out;
}

/** The CPU time of the whole machine in nanoseconds, from the `cpu` line of /proc/stat. */
export function systemCpuUsage(procStat: string | undefined, ticksPerSecond: number): number {
  const line = (procStat ?? '').split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return 0;
  // user nice system idle iowait irq softirq steal; guest times are already in user and nice.
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return (ticks.reduce((sum, t) => sum + (Number.isFinite(t) ? t : 0), 0) * 1e9) / ticksPerSecond;
}

/** Interfaces of a /proc/<pid>/net/dev table (loopback left out, as Docker's), by name. */
export function networkStats(netDev: string | undefined): Record<string, Record<string, number>> | undefined {
  if (netDev === undefined) return undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const line of netDev.split('\n').slice(2)) {
    const [name, rest] = line.split(':');
    const ifname = name?.trim();
    if (!ifname || ifname === 'lo' || rest === undefined) continue;
    const f = rest.trim().split(/\s+/).map(Number);
    out[ifname] = {
      rx_bytes: f[0] ?? 0,
      rx_packets: f[1] ?? 0,
      rx_errors: f[2] ?? 0,
      rx_dropped: f[3] ?? 0,
      tx_bytes: f[8] ?? 0,
      tx_packets: f[9] ?? 0,
      tx_errors: f[10] ?? 0,
      tx_dropped: f[11] ?? 0,
    };
  }
  return out;
}

/** blkio `MAJ:MIN Op value` lines as Docker's `{major, minor, op, value}` entries (totals left out). */
export function blkioEntries(text: string | undefined): Array<Record<string, unknown>> | null {
  const out: Array<Record<string, unknown>> = [];
  for (const line of (text ?? '').split('\n')) {
    const m = /^(\d+):(\d+)\s+(\S+)\s+(\d+)$/.exec(line.trim());
    if (m) out.push({ major: Number(m[1]), minor: Number(m[2]), op: m[3], value: Number(m[4]) });
  }
  return out.length ? out : null;
}

/** CPU figures of one sample (`cpu_stats` / `precpu_stats`). */
export function cpuStats(f: StatsFiles, ctx: StatsContext): Record<string, unknown> {
  const acct = keyValues(f.cpuacctStat);
  const throttle = keyValues(f.cpuStat);
  const toNs = 1e9 / ctx.ticksPerSecond;
  const percpu = (f.cpuPercpu ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
  return {
    cpu_usage: {
      total_usage: num(f.cpuUsage),
      ...(percpu.length ? { percpu_usage: percpu } : {}),
      usage_in_kernelmode: (acct.system ?? 0) * toNs,
      usage_in_usermode: (acct.user ?? 0) * toNs,
    },
    system_cpu_usage: systemCpuUsage(f.procStat, ctx.ticksPerSecond),
    online_cpus: ctx.onlineCpus,
    throttling_data: {
      periods: throttle.nr_periods ?? 0,
      throttled_periods: throttle.nr_throttled ?? 0,
      throttled_time: throttle.throttled_time ?? 0,
    },
  };
}

/** An empty `precpu_stats`, as a one-shot sample answers it. */
export const emptyCpuStats = () => ({
  cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
  throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
});

/** One stats body: `f` is the sample, `pre` the CPU figures of the previous one (or empty). */
export function statsBody(
  f: StatsFiles,
  ctx: StatsContext,
  pre: { read: string; cpu: Record<string, unknown> } | undefined,
): Record<string, unknown> {
  const limit = num(f.memoryLimit);
  const pidsMax = (f.pidsMax ?? '').trim();
  const networks = networkStats(f.netDev);
  return {
    read: ctx.read,
    preread: pre?.read ?? '0001-01-01T00:00:00Z',
    pids_stats: {
      current: num(f.pidsCurrent),
      ...(pidsMax && pidsMax !== 'max' ? { limit: num(pidsMax) } : {}),
    },
    blkio_stats: {
      io_service_bytes_recursive: blkioEntries(f.blkioBytes),
      io_serviced_recursive: blkioEntries(f.blkioOps),
      io_queue_recursive: null,
      io_service_time_recursive: null,
      io_wait_time_recursive: null,
      io_merged_recursive: null,
      io_time_recursive: null,
      sectors_recursive: null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(f, ctx),
    precpu_stats: pre?.cpu ?? emptyCpuStats(),
    memory_stats: {
      usage: num(f.memoryUsage),
      max_usage: num(f.memoryMaxUsage),
      stats: keyValues(f.memoryStat),
      failcnt: num(f.memoryFailcnt),
      // Without a limit cgroup v1 reports a huge number: Docker reports the machine's memory.
      limit: limit > 0 && limit < ctx.hostMemory ? limit : ctx.hostMemory,
    },
    name: ctx.name,
    id: ctx.id,
    ...(networks ? { networks } : {}),
  };
}

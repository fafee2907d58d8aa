import type { HostConfig } from '../containers/api-types.js';
import { invalid } from '../errors.js';

/** The smallest memory limit Docker accepts (6 MiB). */
export const MIN_MEMORY = 6 * 1024 * 1024;

/** `linux.resources` (without devices) from HostConfig's limits, validated as Docker validates them. */
export function cgroupResources(host: HostConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const memory: Record<string, number> = {};
  if (host.Memory) {
    if (host.Memory < MIN_MEMORY) throw invalid('Minimum memory limit allowed is 6MB');
    memory.limit = host.Memory;
    // Docker: swap defaults to twice the memory limit; -1 means unlimited.
    if (host.MemorySwap === -1) memory.swap = -1;
    else if (host.MemorySwap) {
      if (host.MemorySwap < host.Memory)
        throw invalid('Minimum memoryswap limit should be larger than memory limit, see usage');
      memory.swap = host.MemorySwap;
    } else memory.swap = host.Memory * 2;
  } else if (host.MemorySwap && host.MemorySwap > 0)
    throw invalid('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (host.MemoryReservation) memory.reservation = host.MemoryReservation;
  if (host.OomKillDisable) (memory as Record<string, unknown>).disableOOMKiller = true;
  if (Object.keys(memory).length) out.memory = memory;
  const cpu: Record<string, unknown> = {};
  if (host.NanoCpus) {
    if (host.CpuQuota || host.CpuPeriod)
      throw invalid('Conflicting options: Nano CPUs and CPU Period/Quota cannot both be set');
    cpu.period = 100_000;
    cpu.quota = Math.round((host.NanoCpus * 100_000) / 1e9);
  }
  if (host.CpuQuota) cpu.quota = host.CpuQuota;
  if (host.CpuPeriod) cpu.period = host.CpuPeriod;
  if (host.CpuShares) cpu.shares = host.CpuShares;
  if (host.CpusetCpus) cpu.cpus = host.CpusetCpus;
  if (Object.keys(cpu).length) out.cpu = cpu;
  if (host.PidsLimit && host.PidsLimit > 0) out.pids = { limit: host.PidsLimit };
  return out;
}

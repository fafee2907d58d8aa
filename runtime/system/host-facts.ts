import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism, hostname, machine, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../state/atomic-file.js';
import { goArch, type HostFacts } from './version-body.js';

/** Reads what `/version` and `/info` say about this machine. */
export async function readHostFacts(): Promise<HostFacts> {
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1];
  return {
    kernelVersion: release(),
    arch: goArch(process.arch),
    machine: machine(),
    operatingSystem: pretty ?? 'Linux',
    hostname: hostname(),
    ncpu: availableParallelism(),
    memTotal: totalmem(),
  };
}

/** `1` on a v1 or hybrid host, `2` when /sys/fs/cgroup itself is cgroup2. */
export async function cgroupVersion(): Promise<'1' | '2'> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const root = mountinfo.split('\n').find((l) => l.split(' ')[4] === '/sys/fs/cgroup');
  return root?.includes(' - cgroup2 ') ? '2' : '1';
}

/** True when the kernel forwards IPv4 (containers' outbound traffic needs it). */
export async function ipv4Forwarding(): Promise<boolean> {
  const v = await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8').catch(() => '0');
  return v.trim() === '1';
}

/** The engine's stable identity, created on first start and kept in the data root. */
export async function engineId(dataRoot: string): Promise<string> {
  const path = join(dataRoot, 'engine-id.json');
  const stored = await readJson<{ id: string }>(path);
  if (stored?.id) return stored.id;
  const id = randomUUID();
  await writeJsonAtomic(path, { id });
  return id;
}

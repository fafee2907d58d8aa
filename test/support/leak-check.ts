import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** What a leak check found; empty lists mean nothing leaked. */
export interface LeakReport {
  mounts: string[];
  processes: string[];
  cgroups: string[];
}

/** Mount points at or under `dir`. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4]?.replace(/\\040/g, ' '))
    .filter((p): p is string => Boolean(p) && (p === dir || p.startsWith(prefix)));
}

/**
 * Processes that belong to an engine's containers: their command line names the data root
 * (conmon, the OCI runtime, the engine) or their root directory is inside it (container processes).
 * `except` leaves out pids that may legitimately remain (a still-running engine).
 */
export function processesUnder(dataRoot: string, except: number[] = []): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || except.includes(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const root = readlinkSync(`/proc/${pid}/root`);
      if (cmdline.includes(dataRoot) || root.startsWith(dataRoot)) found.push(`${pid} ${cmdline}`);
    } catch {
      // gone meanwhile, or a kernel thread
    }
  }
  return found;
}

/** cgroup directories (any v1 controller or the unified tree, 4 levels deep) named for these containers. */
export function cgroupsNamed(containerIds: readonly string[]): string[] {
  if (containerIds.length === 0) return [];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const path = join(dir, e.name);
      if (containerIds.some((id) => e.name.includes(id))) found.push(path);
      else if (depth > 0) walk(path, depth - 1);
    }
  };
  walk('/sys/fs/cgroup', 4);
  return found;
}

/** Container IDs an engine's data root knows (its `containers/<id>` directories). */
export function containerIdsIn(dataRoot: string): string[] {
  try {
    return readdirSync(join(dataRoot, 'containers')).filter((n) => /^[0-9a-f]{64}$/.test(n));
  } catch {
    return [];
  }
}

/** Everything an engine with this data root left behind. */
export function findLeaks(
  dataRoot: string,
  options: { containerIds?: readonly string[]; exceptPids?: number[] } = {},
): LeakReport {
  const ids = [...new Set([...(options.containerIds ?? []), ...containerIdsIn(dataRoot)])];
  return {
    mounts: mountsUnder(dataRoot),
    processes: processesUnder(dataRoot, options.exceptPids),
    cgroups: cgroupsNamed(ids),
  };
}

/**
 * Fails when an engine left mounts under its data root, processes of its containers (conmon
 * included), or cgroups named for its containers. Run it after a test removed what it made.
 */
export function assertNoLeaks(
  dataRoot: string,
  options: { containerIds?: readonly string[]; exceptPids?: number[] } = {},
): void {
  const leaks = findLeaks(dataRoot, options);
  const lines = [
    ...leaks.mounts.map((m) => `mount ${m}`),
    ...leaks.processes.map((p) => `process ${p}`),
    ...leaks.cgroups.map((c) => `cgroup ${c}`),
  ];
  if (lines.length > 0) throw new Error(`leaked by the engine at ${dataRoot}:\n  ${lines.join('\n  ')}`);
}

/**
 * iptables and ip6tables rules and chains (both tables' dumps) whose text names `tag` (an
 * engine's chain tag or bridge, a subnet, a container ID; or several), each prefixed with the
 * tool that shows it.
 */
export function firewallRulesNamed(tag: string | string[]): string[] {
  const tags = (Array.isArray(tag) ? tag : [tag]).filter(Boolean);
  const found: string[] = [];
  for (const tool of ['iptables-save', 'ip6tables-save']) {
    const dump = execFileSync(tool, { encoding: 'utf8' });
    for (const line of dump.split('\n'))
      if (tags.some((t) => line.includes(t))) found.push(`${tool}: ${line}`);
  }
  return found;
}

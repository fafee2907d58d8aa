import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { basename, delimiter, join } from 'node:path';
import type { Host } from '../host/host.js';
import { probeOciRuntime } from './runtime-probe.js';

/** The OCI runtime the engine drives, as `/info` reports it. */
export interface OciRuntimeChoice {
  /** `crun`, `runc`, or the configured binary's base name. */
  name: string;
  path: string;
  version: string;
  /** Every runtime found, by name, for `/info` `Runtimes`. */
  available: Record<string, { path: string }>;
  /** Why the preferred runtime was passed over, if it was. */
  notes: string[];
}

/** What detection needs to know about the machine (gathered by {@link detectOciRuntime}). */
export interface RuntimeFacts {
  /** Absolute paths of `crun` and `runc` on PATH, when present. */
  found: Partial<Record<'crun' | 'runc', string>>;
  /** The controllers enabled in a cgroup2 hierarchy mounted beside v1 ones (hybrid layout), or undefined. */
  hybridUnifiedControllers?: string[];
}

/** The message for the hybrid-cgroup failure of crun < 1.9, with what to do about it. */
export function crunHybridExplanation(controllers: string[]): string {
  return (
    `crun refuses this host's hybrid cgroup layout ("cgroups in hybrid mode not supported, drop all ` +
    `controllers from cgroupv2"): the cgroup2 hierarchy has controllers enabled (${controllers.join(', ')}). ` +
    'Mount the missing v1 hierarchies (e.g. `mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb ' +
    'cgroup /sys/fs/cgroup/hugetlb`), or use runc (--oci-runtime runc).'
  );
}

/**
 * Chooses the runtime: the configured one when given (a name on PATH or a path), else crun,
 * else runc. crun is skipped, with a note, on a hybrid host where it cannot start containers.
 * Pure: the facts are gathered elsewhere.
 */
export function chooseOciRuntime(
  facts: RuntimeFacts,
  configured?: string,
): Omit<OciRuntimeChoice, 'version'> {
  const available: Record<string, { path: string }> = {};
  for (const [name, path] of Object.entries(facts.found)) if (path) available[name] = { path };
  const notes: string[] = [];
  if (configured) {
    const path = configured.includes('/') ? configured : facts.found[configured as 'crun' | 'runc'];
    if (!path) throw new Error(`OCI runtime ${JSON.stringify(configured)} not found on PATH`);
    const name = basename(path);
    available[name] = { path };
    if (name === 'crun' && facts.hybridUnifiedControllers?.length) {
      throw new Error(crunHybridExplanation(facts.hybridUnifiedControllers));
    }
    return { name, path, available, notes };
  }
  if (facts.found.crun) {
    if (!facts.hybridUnifiedControllers?.length)
      return { name: 'crun', path: facts.found.crun, available, notes };
    notes.push(crunHybridExplanation(facts.hybridUnifiedControllers));
  }
  if (facts.found.runc) return { name: 'runc', path: facts.found.runc, available, notes };
  throw new Error(
    [
      'no usable OCI runtime: install crun or runc (apt-get install crun runc), or pass --oci-runtime',
      ...notes,
    ].join('\n'),
  );
}

/**
 * The controllers of a cgroup2 mount that sits beside cgroup v1 hierarchies. crun 1.8 refuses to
 * run when any are enabled there; none means the hybrid layout is harmless (or the host is pure v1/v2).
 */
export function hybridControllers(mountinfo: string, readControllers: (path: string) => string | undefined) {
  const mounts = mountinfo.split('\n').map((l) => {
    const [, rest = ''] = l.split(' - ');
    return { point: l.split(' ')[4], fstype: rest.split(' ')[0] };
  });
  const v1 = mounts.some((m) => m.fstype === 'cgroup');
  const v2 = mounts.find((m) => m.fstype === 'cgroup2');
  if (!v1 || !v2?.point) return undefined;
  const text = readControllers(join(v2.point, 'cgroup.controllers')) ?? '';
  return text.split(/\s+/).filter(Boolean);
}

/** Gathers the facts from this machine and chooses; the version comes from `<runtime> --version`. */
export async function detectOciRuntime(host: Host, configured?: string): Promise<OciRuntimeChoice> {
  const found: RuntimeFacts['found'] = {};
  for (const name of ['crun', 'runc'] as const) {
    const path = await onPath(name);
    if (path) found[name] = path;
  }
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const controllersText = mountinfo.includes(' - cgroup2 ')
    ? await readFile(cgroup2Controllers(mountinfo), 'utf8').catch(() => undefined)
    : undefined;
  let hybrid = hybridControllers(mountinfo, () => controllersText);
  // Controllers in the cgroup2 tree of a hybrid host break crun 1.8; newer crun copes. Ask crun.
  if (hybrid?.length && found.crun && (await probeOciRuntime(host, found.crun)).ok) hybrid = [];
  const choice = chooseOciRuntime({ found, hybridUnifiedControllers: hybrid }, configured);
  const res = await host.run(choice.path, ['--version'], { allowFailure: true, timeoutMs: 5000 });
  const version = /version\s+(\S+)/.exec(res.stdout)?.[1] ?? 'unknown';
  return { ...choice, version };
}

function cgroup2Controllers(mountinfo: string): string {
  const line = mountinfo.split('\n').find((l) => l.includes(' - cgroup2 '));
  return join(line?.split(' ')[4] ?? '/sys/fs/cgroup', 'cgroup.controllers');
}

async function onPath(name: string): Promise<string | undefined> {
  const dirs = (process.env.PATH ?? '')
    .split(delimiter)
    .concat(['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin']);
  for (const dir of dirs) {
    if (!dir) continue;
    const p = join(dir, name);
    if (
      await access(p, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return p;
  }
  return undefined;
}

import type { Service } from '../model/project.js';
import type { ContainerCreateBody, MountBody } from './engine-bodies.js';
import type { InlineSources } from './inline-files.js';

/** What the translation needs besides the service itself. */
export interface CreateContext {
  /** The project name (for `service:` references and links). */
  project: string;
  /** Project network key → engine-side name. */
  networkNames: Record<string, string>;
  /** Project volume key → engine-side name. */
  volumeNames: Record<string, string>;
  /** Container names of other services' first replicas, for `service:X` namespace references. */
  serviceContainers: Record<string, string>;
  /** Interpolation variables, for environment entries without a value. */
  environment: Record<string, string>;
  /** Anonymous volume names of the container being replaced, by mount target. */
  carriedVolumes: Record<string, string>;
  /** Top-level secrets and configs, by key: their host file paths. */
  fileRefs: { secrets: Record<string, string | undefined>; configs: Record<string, string | undefined> };
  /** Secrets and configs given by `environment:` or `content:`, copied in after create. */
  inline: InlineSources;
}

/** One row of the translation table: copies one aspect of a service into the body. */
export type CreateRule = (service: Service, body: ContainerCreateBody, ctx: CreateContext) => void;

const SECOND = 1_000_000_000;

/** Simple one-to-one fields: service key → where it goes in the body. */
export const DIRECT_FIELDS: ReadonlyArray<[keyof Service, 'config' | 'host', string]> = [
  ['hostname', 'config', 'Hostname'],
  ['domainname', 'config', 'Domainname'],
  ['user', 'config', 'User'],
  ['working_dir', 'config', 'WorkingDir'],
  ['stdin_open', 'config', 'OpenStdin'],
  ['tty', 'config', 'Tty'],
  ['stop_signal', 'config', 'StopSignal'],
  ['init', 'host', 'Init'],
  ['privileged', 'host', 'Privileged'],
  ['read_only', 'host', 'ReadonlyRootfs'],
  ['shm_size', 'host', 'ShmSize'],
  ['mem_limit', 'host', 'Memory'],
  ['mem_reservation', 'host', 'MemoryReservation'],
  ['memswap_limit', 'host', 'MemorySwap'],
  ['cpu_shares', 'host', 'CpuShares'],
  ['pids_limit', 'host', 'PidsLimit'],
  ['cpu_period', 'host', 'CpuPeriod'],
  ['cpu_quota', 'host', 'CpuQuota'],
  ['cpuset', 'host', 'CpusetCpus'],
  ['cgroup', 'host', 'CgroupnsMode'],
  ['cgroup_parent', 'host', 'CgroupParent'],
  ['oom_kill_disable', 'host', 'OomKillDisable'],
  ['oom_score_adj', 'host', 'OomScoreAdj'],
  ['mem_swappiness', 'host', 'MemorySwappiness'],
  ['mac_address', 'config', 'MacAddress'],
  ['runtime', 'host', 'Runtime'],
  ['userns_mode', 'host', 'UsernsMode'],
  ['uts', 'host', 'UTSMode'],
];

/** List fields copied when non-empty: service key → HostConfig key. */
export const LIST_FIELDS: ReadonlyArray<[keyof Service, string]> = [
  ['cap_add', 'CapAdd'],
  ['cap_drop', 'CapDrop'],
  ['dns', 'Dns'],
  ['dns_search', 'DnsSearch'],
  ['dns_opt', 'DnsOptions'],
  ['extra_hosts', 'ExtraHosts'],
  ['security_opt', 'SecurityOpt'],
  ['group_add', 'GroupAdd'],
  ['device_cgroup_rules', 'DeviceCgroupRules'],
];

/** `devices`: `host[:container[:perms]]` strings or `{ source, target, permissions }`. */
export const devicesRule: CreateRule = (s, body) => {
  const devices = s.devices.map((d) => {
    if (typeof d === 'string') {
      const [host, container = host, perms = 'rwm'] = d.split(':');
      return { PathOnHost: host, PathInContainer: container, CgroupPermissions: perms };
    }
    const o = d as { source?: string; target?: string; permissions?: string };
    const host = o.source ?? '';
    return { PathOnHost: host, PathInContainer: o.target ?? host, CgroupPermissions: o.permissions ?? 'rwm' };
  });
  if (devices.length) body.HostConfig.Devices = devices;
};

/** Resolves `service:<name>` to `container:<its container>`; other modes pass through. */
export function namespaceMode(mode: string, ctx: CreateContext): string {
  if (!mode.startsWith('service:')) return mode;
  const target = ctx.serviceContainers[mode.slice('service:'.length)];
  return target ? `container:${target}` : mode;
}

/** `Env` entries; a variable without a value is taken from the environment, or left out. */
export const envRule: CreateRule = (s, body, ctx) => {
  const env: string[] = [];
  for (const [k, v] of Object.entries(s.environment)) {
    const value = v ?? ctx.environment[k];
    if (value !== undefined) env.push(`${k}=${value}`);
  }
  if (env.length) body.Env = env;
};

/** `ExposedPorts` and `PortBindings` from `ports` and `expose`. */
export const portsRule: CreateRule = (s, body) => {
  const exposed: Record<string, Record<string, never>> = {};
  for (const e of s.expose) {
    const [port, proto = 'tcp'] = e.split('/');
    exposed[`${port}/${proto}`] = {};
  }
  const bindings: Record<string, Array<{ HostIp?: string; HostPort?: string }>> = {};
  for (const p of s.ports) {
    const key = `${p.target}/${p.protocol}`;
    exposed[key] = {};
    const binding: { HostIp?: string; HostPort?: string } = { HostPort: p.published ?? '' };
    if (p.host_ip) binding.HostIp = p.host_ip;
    bindings[key] = [...(bindings[key] ?? []), binding];
  }
  if (Object.keys(exposed).length) body.ExposedPorts = exposed;
  if (Object.keys(bindings).length) body.HostConfig.PortBindings = bindings;
};

/** `Healthcheck`, with durations in nanoseconds as the Engine API takes them. */
export const healthcheckRule: CreateRule = (s, body) => {
  const h = s.healthcheck;
  if (!h) return;
  if (h.disable) {
    body.Healthcheck = { Test: ['NONE'] };
    return;
  }
  body.Healthcheck = {
    Test: h.test,
    Interval: h.interval,
    Timeout: h.timeout,
    Retries: h.retries,
    StartPeriod: h.start_period,
    StartInterval: h.start_interval,
  };
};

/** `RestartPolicy` from `restart` (`on-failure:3`). */
export const restartRule: CreateRule = (s, body) => {
  if (!s.restart) return;
  const [name, count] = s.restart.split(':');
  body.HostConfig.RestartPolicy = { Name: name === 'no' ? '' : name };
  if (count) body.HostConfig.RestartPolicy.MaximumRetryCount = Number(count);
};

/** `StopTimeout` (seconds) from `stop_grace_period`. */
export const stopTimeoutRule: CreateRule = (s, body) => {
  if (s.stop_grace_period !== undefined) body.StopTimeout = Math.ceil(s.stop_grace_period / SECOND);
};

/** `NanoCpus` from `cpus`. */
export const cpusRule: CreateRule = (s, body) => {
  if (s.cpus !== undefined) body.HostConfig.NanoCpus = Math.round(s.cpus * SECOND);
};

/** Namespaces, `volumes_from`, links and logging. */
export const namespacesRule: CreateRule = (s, body, ctx) => {
  if (s.ipc) body.HostConfig.IpcMode = namespaceMode(s.ipc, ctx);
  if (s.pid) body.HostConfig.PidMode = namespaceMode(s.pid, ctx);
  if (s.volumes_from.length) {
    body.HostConfig.VolumesFrom = s.volumes_from.map((v) => {
      const [ref, mode] = v.split(':');
      const name = ref.startsWith('container:') ? ref.slice(10) : (ctx.serviceContainers[ref] ?? ref);
      return mode ? `${name}:${mode}` : name;
    });
  }
  const links = s.links.map((l) => {
    const [svc, alias = svc] = l.split(':');
    return `${ctx.serviceContainers[svc] ?? svc}:${alias}`;
  });
  if (links.length || s.external_links.length) body.HostConfig.Links = [...links, ...s.external_links];
  if (Object.keys(s.sysctls).length) body.HostConfig.Sysctls = s.sysctls;
  const ulimits = Object.entries(s.ulimits).map(([Name, l]) => ({ Name, Soft: l.soft, Hard: l.hard }));
  if (ulimits.length) body.HostConfig.Ulimits = ulimits;
  if (s.logging?.driver || s.logging?.options) {
    body.HostConfig.LogConfig = { Type: s.logging.driver ?? '', Config: s.logging.options };
  }
};

/** Short tmpfs entries (`/run:size=64k`). */
export const tmpfsRule: CreateRule = (s, body) => {
  if (!s.tmpfs.length) return;
  body.HostConfig.Tmpfs = Object.fromEntries(
    s.tmpfs.map((t) => {
      const i = t.indexOf(':');
      return i < 0 ? [t, ''] : [t.slice(0, i), t.slice(i + 1)];
    }),
  );
};

/** A tmpfs mount from the long volume syntax. */
export function tmpfsMount(
  target: string,
  readOnly: boolean | undefined,
  size?: number,
  mode?: number,
): MountBody {
  const m: MountBody = { Type: 'tmpfs', Target: target };
  if (readOnly) m.ReadOnly = true;
  if (size !== undefined || mode !== undefined) m.TmpfsOptions = { SizeBytes: size, Mode: mode };
  return m;
}

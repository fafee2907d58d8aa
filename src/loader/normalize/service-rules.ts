import type { Service } from '../../model/project.js';
import { ENV_FILE_FORMATS } from '../env-file.js';
import type { TreePath } from '../tree-path.js';
import { transformBuild } from './build.js';
import type { NormalizeContext } from './context.js';
import { transformPort } from './ports.js';
import { type Problems, ValueError } from './problems.js';
import { transformDependsOn, transformNetworks } from './relations.js';
import { shellSplit } from './shell-split.js';
import { parseBytes, parseDuration } from './units.js';
import {
  asMapping,
  extraHosts,
  listOrDict,
  put,
  resolveBare,
  toBool,
  toInt,
  toList,
  toNumber,
  toStr,
} from './values.js';
import { type PathResolver, parseMode, resolveHostPath, transformVolume } from './volumes.js';

/** What a rule sees: the service being built, where it is, and the loader's context. */
export interface RuleScope {
  service: Service;
  path: TreePath;
  ctx: NormalizeContext;
  paths: PathResolver;
  problems: Problems;
  /** Runs `fn` on each list item, reporting a bad item at its own path and skipping it. */
  each<T>(list: unknown, fn: (item: unknown, i: number) => T): T[];
}

/** Normalizes one attribute's value onto `scope.service`. Throws ValueError on a bad value. */
export type ServiceRule = (value: unknown, scope: RuleScope) => void;

type Writable = Record<string, unknown>;

/** Copies the value under the same key, converted. */
const as =
  (convert: (v: unknown) => unknown): ServiceRule =>
  (value, s) => {
    const converted = convert(value);
    if (converted !== undefined) (s.service as unknown as Writable)[String(s.path.at(-1))] = converted;
  };

/** As `as`, with null meaning "not set" (`pid: null`), as Compose reads it. */
const unlessNull = (convert: (v: unknown) => unknown) => as((v) => (v === null ? undefined : convert(v)));

const str = unlessNull(toStr);
const bool = unlessNull(toBool);
const int = unlessNull(toInt);
const num = unlessNull(toNumber);
const bytes = unlessNull(parseBytes);
const duration = unlessNull(parseDuration);
const list = as(toList);
const labels = as((v) => listOrDict(v, ''));
const command = as((v) => (v === null ? null : typeof v === 'string' ? shellSplit(v) : toList(v)));

/** Healthcheck: `test` to the Engine API form, durations to nanoseconds. */
const healthcheck: ServiceRule = (value, s) => {
  const h = asMapping(value);
  const out: NonNullable<Service['healthcheck']> = {};
  if (h.test !== undefined) {
    out.test = typeof h.test === 'string' ? ['CMD-SHELL', h.test] : toList(h.test);
    if (!['CMD', 'CMD-SHELL', 'NONE'].includes(out.test[0] ?? '')) {
      throw new ValueError('healthcheck test must start with "CMD", "CMD-SHELL" or "NONE"');
    }
  }
  for (const key of ['interval', 'timeout', 'start_period', 'start_interval'] as const) {
    if (h[key] !== undefined) out[key] = parseDuration(h[key]);
  }
  if (h.retries !== undefined) out.retries = toInt(h.retries);
  if (h.disable !== undefined) out.disable = toBool(h.disable);
  s.service.healthcheck = out;
};

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

/** `services.*.<attribute>` -> how to normalize it. Attributes not listed are kept as written. */
export const SERVICE_RULES: Readonly<Record<string, ServiceRule>> = {
  'services.*.image': str,
  'services.*.build': (v, s) => {
    s.service.build = transformBuild(v, s.paths, s.ctx.environment);
  },
  'services.*.command': command,
  'services.*.entrypoint': command,
  'services.*.environment': (v, s) => {
    const declared = resolveBare(listOrDict(v, null), s.ctx.environment);
    s.service.environment = mergeEnvironment(s.service.environment, declared);
  },
  'services.*.labels': (v, s) => {
    s.service.labels = { ...s.service.labels, ...listOrDict(v, '') };
  },
  'services.*.annotations': labels,
  'services.*.ports': (v, s) => {
    s.service.ports = s.each(v, transformPort).flat();
  },
  'services.*.expose': list,
  'services.*.volumes': (v, s) => {
    s.service.volumes = s.each(v, (item) => transformVolume(item, s.paths));
  },
  'services.*.volumes_from': list,
  'services.*.tmpfs': list,
  'services.*.networks': (v, s) => {
    s.service.networks = transformNetworks(v);
    aliasListPositions(v, s);
  },
  'services.*.network_mode': str,
  'services.*.depends_on': (v, s) => {
    s.service.depends_on = transformDependsOn(v);
    aliasListPositions(v, s);
  },
  'services.*.links': list,
  'services.*.external_links': list,
  'services.*.healthcheck': healthcheck,
  'services.*.restart': (v, s) => {
    const policy = toStr(v);
    if (!RESTART.test(policy)) {
      throw new ValueError(
        `invalid restart policy "${policy}": use no, always, on-failure[:N] or unless-stopped`,
      );
    }
    s.service.restart = policy;
  },
  'services.*.scale': int,
  'services.*.profiles': list,
  'services.*.container_name': str,
  'services.*.hostname': str,
  'services.*.domainname': str,
  'services.*.user': str,
  'services.*.working_dir': str,
  'services.*.stdin_open': bool,
  'services.*.tty': bool,
  'services.*.init': bool,
  'services.*.privileged': bool,
  'services.*.read_only': bool,
  'services.*.oom_kill_disable': bool,
  'services.*.cap_add': list,
  'services.*.cap_drop': list,
  'services.*.dns': list,
  'services.*.dns_search': list,
  'services.*.dns_opt': list,
  'services.*.extra_hosts': as(extraHosts),
  'services.*.stop_signal': str,
  'services.*.stop_grace_period': duration,
  'services.*.shm_size': bytes,
  'services.*.mem_limit': bytes,
  'services.*.mem_reservation': bytes,
  'services.*.memswap_limit': bytes,
  'services.*.mem_swappiness': int,
  'services.*.cpus': num,
  'services.*.cpu_shares': int,
  'services.*.cpu_period': int,
  'services.*.cpu_quota': int,
  'services.*.cpuset': str,
  'services.*.cgroup': str,
  'services.*.cgroup_parent': str,
  'services.*.oom_score_adj': int,
  'services.*.pids_limit': int,
  'services.*.mac_address': str,
  'services.*.runtime': str,
  'services.*.userns_mode': str,
  'services.*.uts': str,
  'services.*.device_cgroup_rules': list,
  'services.*.sysctls': labels,
  'services.*.ulimits': as(ulimits),
  'services.*.ipc': str,
  'services.*.pid': str,
  'services.*.security_opt': list,
  'services.*.group_add': list,
  'services.*.devices': (v, s) => {
    s.service.devices = Array.isArray(v) ? v : [];
  },
  'services.*.secrets': (v, s) => {
    s.service.secrets = s.each(v, fileRef);
  },
  'services.*.configs': (v, s) => {
    s.service.configs = s.each(v, fileRef);
  },
  'services.*.logging': (v, s) => {
    const l = asMapping(v);
    s.service.logging = {};
    if (l.driver !== undefined) s.service.logging.driver = toStr(l.driver);
    if (l.options !== undefined) s.service.logging.options = listOrDict(l.options, '');
  },
  'services.*.pull_policy': str,
  'services.*.platform': str,
  'services.*.deploy': (v, s) => {
    if (v !== null) s.service.deploy = { ...asMapping(v) };
  },
  'services.*.env_file': (v, s) => {
    const fromFiles: Record<string, string> = {};
    for (const entry of Array.isArray(v) ? v : [v]) {
      const file = typeof entry === 'string' ? { path: entry } : asMapping(entry);
      const required = file.required === undefined ? true : toBool(file.required);
      const path = resolveHostPath(toStr(file.path), s.paths);
      const format = file.format === undefined ? undefined : toStr(file.format);
      if (format !== undefined && !ENV_FILE_FORMATS.includes(format)) {
        throw new ValueError(`unsupported env_file format "${format}": use "env" or "raw"`);
      }
      Object.assign(fromFiles, s.ctx.readEnvFile(path, required, format) ?? {});
    }
    // environment wins over env_file, whatever the order of the keys in the file.
    s.service.environment = mergeEnvironment(fromFiles, s.service.environment);
  },
  'services.*.label_file': (v, s) => {
    const fromFiles: Record<string, string> = {};
    for (const file of toList(v))
      Object.assign(fromFiles, s.ctx.readEnvFile(resolveHostPath(file, s.paths), true));
    s.service.labels = { ...fromFiles, ...s.service.labels };
  },
};

/** `over` on top of `base`, except that an unresolved bare name does not hide a value `base` has. */
function mergeEnvironment(
  base: Record<string, string | null>,
  over: Record<string, string | null>,
): Record<string, string | null> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) if (v !== null || (out[k] ?? null) === null) put(out, k, v);
  return out;
}

/**
 * The list form (`depends_on: [db]`) becomes a mapping in the model; recording each item's
 * position under its name too lets later stages (the graph's cycle errors) locate
 * `services.web.depends_on.db` at the list item.
 */
function aliasListPositions(value: unknown, s: RuleScope): void {
  if (!Array.isArray(value)) return;
  value.forEach((name, i) => {
    const pos = s.ctx.positions.get([...s.path, i]);
    if (pos) s.ctx.positions.set([...s.path, toStr(name)], pos);
  });
}

function ulimits(value: unknown): Record<string, { soft: number; hard: number }> {
  const out: Record<string, { soft: number; hard: number }> = {};
  for (const [name, limit] of Object.entries(asMapping(value))) {
    const l = asMapping(limit);
    const both = typeof limit === 'object' && limit !== null;
    put(
      out,
      name,
      both ? { soft: toInt(l.soft), hard: toInt(l.hard) } : { soft: toInt(limit), hard: toInt(limit) },
    );
  }
  return out;
}

function fileRef(value: unknown): Service['secrets'][number] {
  if (typeof value === 'string') return { source: value };
  const r = asMapping(value);
  const out: Service['secrets'][number] = { source: toStr(r.source) };
  if (r.target !== undefined) out.target = toStr(r.target);
  if (r.uid !== undefined) out.uid = toStr(r.uid);
  if (r.gid !== undefined) out.gid = toStr(r.gid);
  if (r.mode !== undefined) out.mode = parseMode(r.mode);
  return out;
}

import { type RuleCursor, ruleAt, ruleCursor, stepRule, type TreePath } from '../tree-path.js';

/**
 * After interpolation every substituted value is a string; these paths are the ones the schema
 * wants as numbers or booleans, so strings there are cast back (compose-go keeps the same kind of
 * table in loader/interpolate.go). A string that does not parse is left as it is, and the schema
 * then reports it with its place.
 */
type Cast = (value: string) => unknown;

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const toInt: Cast = (v) => (INTEGER.test(v.trim()) ? Number.parseInt(v, 10) : v);
const toFloat: Cast = (v) => (FLOAT.test(v.trim()) ? Number.parseFloat(v) : v);

/** YAML 1.1 booleans, as Compose accepts them in these places. */
const toBoolean: Cast = (v) => {
  switch (v.trim().toLowerCase()) {
    case 'y':
    case 'yes':
    case 'true':
    case 'on':
      return true;
    case 'n':
    case 'no':
    case 'false':
    case 'off':
      return false;
    default:
      return v;
  }
};

/** Byte sizes: a bare number of bytes becomes a number; `512m` stays a string for normalization. */
const toBytes: Cast = toInt;

const CASTS: Readonly<Record<string, Cast>> = {
  'services.*.blkio_config.weight': toInt,
  'services.*.build.no_cache': toBoolean,
  'services.*.build.privileged': toBoolean,
  'services.*.build.pull': toBoolean,
  'services.*.build.shm_size': toBytes,
  'services.*.cpu_count': toInt,
  'services.*.cpu_percent': toFloat,
  'services.*.cpu_period': toInt,
  'services.*.cpu_quota': toInt,
  'services.*.cpu_rt_period': toInt,
  'services.*.cpu_rt_runtime': toInt,
  'services.*.cpu_shares': toInt,
  'services.*.cpus': toFloat,
  'services.*.depends_on.*.required': toBoolean,
  'services.*.depends_on.*.restart': toBoolean,
  'services.*.deploy.placement.max_replicas_per_node': toInt,
  'services.*.deploy.replicas': toInt,
  'services.*.deploy.resources.limits.cpus': toFloat,
  'services.*.deploy.resources.limits.pids': toInt,
  'services.*.deploy.resources.reservations.cpus': toFloat,
  'services.*.deploy.restart_policy.max_attempts': toInt,
  'services.*.deploy.rollback_config.max_failure_ratio': toFloat,
  'services.*.deploy.rollback_config.parallelism': toInt,
  'services.*.deploy.update_config.max_failure_ratio': toFloat,
  'services.*.deploy.update_config.parallelism': toInt,
  'services.*.healthcheck.disable': toBoolean,
  'services.*.healthcheck.retries': toInt,
  'services.*.init': toBoolean,
  'services.*.mem_limit': toBytes,
  'services.*.mem_reservation': toBytes,
  'services.*.mem_swappiness': toInt,
  'services.*.memswap_limit': toBytes,
  'services.*.networks.*.priority': toInt,
  'services.*.oom_kill_disable': toBoolean,
  'services.*.oom_score_adj': toInt,
  'services.*.pids_limit': toInt,
  'services.*.ports.*.target': toInt,
  'services.*.privileged': toBoolean,
  'services.*.read_only': toBoolean,
  'services.*.scale': toInt,
  'services.*.shm_size': toBytes,
  'services.*.stdin_open': toBoolean,
  'services.*.tty': toBoolean,
  'services.*.ulimits.*': toInt,
  'services.*.ulimits.*.hard': toInt,
  'services.*.ulimits.*.soft': toInt,
  'services.*.volumes.*.bind.create_host_path': toBoolean,
  'services.*.volumes.*.read_only': toBoolean,
  'services.*.volumes.*.tmpfs.size': toBytes,
  'services.*.volumes.*.volume.nocopy': toBoolean,
  'configs.*.external': toBoolean,
  'networks.*.attachable': toBoolean,
  'networks.*.enable_ipv4': toBoolean,
  'networks.*.enable_ipv6': toBoolean,
  'networks.*.external': toBoolean,
  'networks.*.internal': toBoolean,
  'secrets.*.external': toBoolean,
  'volumes.*.external': toBoolean,
};

/**
 * File modes. Compose reads a string mode as octal (`"0440"`) and a number as the mode itself
 * (`0440` parses as 288, `256` is 256); numbers are written here as the octal string (`"0400"`)
 * so that every later stage reads one unambiguous form. Strings are left as written.
 */
const MODES: Readonly<Record<string, true>> = {
  'services.*.configs.*.mode': true,
  'services.*.secrets.*.mode': true,
  'services.*.volumes.*.tmpfs.mode': true,
};

/** An integer mode as its octal string; anything else is left for the schema to judge. */
function modeAsOctal(value: unknown): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? `0${value.toString(8)}`
    : value;
}

/** Where a walk down a tree stands in the cast and mode tables. */
export interface CastCursor {
  modes: RuleCursor;
  casts: RuleCursor;
}

/** The cursor at the root of a stack tree. */
export function castRoot(): CastCursor {
  return { modes: ruleCursor(MODES), casts: ruleCursor(CASTS) };
}

/** The cursor for a child; undefined when no cast applies anywhere below it. */
export function stepCast(cursor: CastCursor | undefined, key: string | number): CastCursor | undefined {
  if (!cursor) return undefined;
  const modes = stepRule(cursor.modes, key);
  const casts = stepRule(cursor.casts, key);
  return modes.length > 0 || casts.length > 0 ? { modes, casts } : undefined;
}

/** Casts a string to the type the schema wants where the cursor stands; writes file modes in octal. */
export function castAt(cursor: CastCursor | undefined, value: unknown): unknown {
  if (!cursor) return value;
  if (ruleAt(cursor.modes)) return modeAsOctal(value);
  if (typeof value !== 'string') return value;
  const cast = ruleAt<Cast>(cursor.casts);
  return cast ? cast(value) : value;
}

/**
 * Casts a string at `path` to the type the schema wants there and writes file modes in octal;
 * other values pass unchanged.
 */
export function castForPath(path: TreePath, value: unknown): unknown {
  let cursor: CastCursor | undefined = castRoot();
  for (const segment of path) cursor = stepCast(cursor, segment);
  return castAt(cursor, value);
}

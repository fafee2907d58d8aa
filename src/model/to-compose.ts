import { formatBytes, formatDuration } from '../loader/normalize/units.js';
import type {
  BuildConfig,
  Healthcheck,
  Network,
  Project,
  SecretOrConfig,
  Service,
  Volume,
} from './project.js';

type Doc = Record<string, unknown>;

/**
 * The model as a Compose document: what `berth config` prints. Canonical long forms, durations
 * as `1m30s`, sizes as `512m`, modes as octal strings, empty collections and defaults left out,
 * pass-through attributes and `x-*` keys put back. Loading the result again gives the same model
 * (active services only: disabled ones are not part of the output, as in Compose).
 */
export function projectToCompose(project: Project): Doc {
  const doc: Doc = { name: project.name, ...project.extensions };
  doc.services = mapValues(project.services, serviceToCompose);
  if (nonEmpty(project.networks)) doc.networks = mapValues(project.networks, resourceToCompose);
  if (nonEmpty(project.volumes)) doc.volumes = mapValues(project.volumes, resourceToCompose);
  if (nonEmpty(project.secrets)) doc.secrets = mapValues(project.secrets, fileObjectToCompose);
  if (nonEmpty(project.configs)) doc.configs = mapValues(project.configs, fileObjectToCompose);
  if (project.models) doc.models = project.models;
  return doc;
}

/** Fields whose model value is nanoseconds or bytes, rendered back as Compose strings. */
const DURATIONS = new Set(['stop_grace_period']);
const SIZES = new Set(['shm_size', 'mem_limit', 'mem_reservation', 'memswap_limit']);
const KEEP_EMPTY = new Set(['command', 'entrypoint']);
/** Fields rendered by dedicated code below, or not at all. */
const SPECIAL = new Set([
  'name',
  'extensions',
  'scale',
  'healthcheck',
  'build',
  'networks',
  'secrets',
  'configs',
]);

function serviceToCompose(service: Service): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(service)) {
    // An empty command or entrypoint is meaningful (it clears the image's), so it is kept.
    if (SPECIAL.has(key) || (isEmpty(value) && !KEEP_EMPTY.has(key))) continue;
    if (DURATIONS.has(key)) out[key] = formatDuration(value as number);
    else if (SIZES.has(key)) out[key] = formatBytes(value as number);
    else if (key === 'volumes') out[key] = service.volumes.map(volumeToCompose);
    else out[key] = value;
  }
  if (service.scale !== 1) out.scale = service.scale;
  if (service.build) out.build = buildToCompose(service.build);
  if (service.healthcheck) out.healthcheck = healthcheckToCompose(service.healthcheck);
  if (nonEmpty(service.networks)) {
    out.networks = mapValues(service.networks, (n) => {
      const attachment = prune({ ...n });
      return nonEmpty(attachment) ? attachment : null;
    });
  }
  if (service.secrets.length > 0) out.secrets = service.secrets.map(fileRefToCompose);
  if (service.configs.length > 0) out.configs = service.configs.map(fileRefToCompose);
  return { ...out, ...service.extensions };
}

function buildToCompose(build: BuildConfig): Doc {
  const { extensions, shm_size, ...rest } = build;
  const out = prune({ ...rest });
  if (shm_size !== undefined) out.shm_size = formatBytes(shm_size);
  return { ...out, ...extensions };
}

function healthcheckToCompose(h: Healthcheck): Doc {
  const out: Doc = { ...h };
  for (const key of ['interval', 'timeout', 'start_period', 'start_interval'] as const) {
    if (h[key] !== undefined) out[key] = formatDuration(h[key]);
  }
  return out;
}

function volumeToCompose(v: Service['volumes'][number]): Doc {
  const out: Doc = { ...v };
  if (v.tmpfs) {
    const tmpfs: Doc = { ...v.tmpfs };
    if (v.tmpfs.size !== undefined) tmpfs.size = formatBytes(v.tmpfs.size);
    if (v.tmpfs.mode !== undefined) tmpfs.mode = octal(v.tmpfs.mode);
    out.tmpfs = tmpfs;
  }
  return out;
}

function fileRefToCompose(ref: Service['secrets'][number]): Doc {
  return ref.mode === undefined ? { ...ref } : { ...ref, mode: octal(ref.mode) };
}

function resourceToCompose(r: Network | Volume): Doc {
  const { extensions, ...rest } = r;
  return { ...prune({ ...rest }), ...extensions };
}

function fileObjectToCompose(r: SecretOrConfig): Doc {
  return prune({ ...r });
}

/** `0o440` -> `"0440"`: octal, as Compose files write modes. */
function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

function prune(obj: Doc): Doc {
  for (const [k, v] of Object.entries(obj)) if (isEmpty(v)) delete obj[k];
  return obj;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length === 0;
}

function nonEmpty(obj: object | undefined): obj is object {
  return obj !== undefined && Object.keys(obj).length > 0;
}

function mapValues<T>(obj: Record<string, T>, fn: (value: T) => unknown): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(obj)) {
    Object.defineProperty(out, k, { value: fn(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

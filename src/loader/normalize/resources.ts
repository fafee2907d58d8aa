import type { Network, SecretOrConfig, Volume } from '../../model/project.js';
import { asMapping, listOrDict, toBool, toStr } from './values.js';
import { type PathResolver, resolveHostPath } from './volumes.js';

/** `x-*` keys of a mapping, kept as written. */
function extensionsOf(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([k]) => k.startsWith('x-')));
}

/**
 * `external: true`, `external: {name: x}` (the old form) and the engine-side name: `name:` if
 * set, else the key for an external resource, else `<project>_<key>`.
 */
function identity(
  key: string,
  raw: Record<string, unknown>,
  project: string,
): { name: string; external?: boolean } {
  const ext = raw.external;
  const oldForm = ext !== null && typeof ext === 'object' ? asMapping(ext) : undefined;
  const external = oldForm ? true : ext === undefined ? undefined : toBool(ext);
  const explicit = raw.name ?? oldForm?.name;
  const name = explicit !== undefined ? toStr(explicit) : external ? key : `${project}_${key}`;
  return external === undefined ? { name } : { name, external };
}

/** A top-level network (null means all defaults). */
export function normalizeNetwork(key: string, value: unknown, project: string): Network {
  const raw = asMapping(value);
  const out: Network = {
    ...identity(key, raw, project),
    driver_opts: listOrDict(raw.driver_opts ?? {}, ''),
    labels: listOrDict(raw.labels ?? {}, ''),
    extensions: extensionsOf(raw),
  };
  if (raw.driver !== undefined) out.driver = toStr(raw.driver);
  if (raw.internal !== undefined) out.internal = toBool(raw.internal);
  if (raw.attachable !== undefined) out.attachable = toBool(raw.attachable);
  if (raw.enable_ipv6 !== undefined) out.enable_ipv6 = toBool(raw.enable_ipv6);
  if (raw.enable_ipv4 !== undefined) out.enable_ipv4 = toBool(raw.enable_ipv4);
  if (raw.ipam !== undefined) {
    const ipam = asMapping(raw.ipam);
    out.ipam = { config: Array.isArray(ipam.config) ? ipam.config.map((c) => ({ ...asMapping(c) })) : [] };
    if (ipam.driver !== undefined) out.ipam.driver = toStr(ipam.driver);
    if (ipam.options !== undefined) out.ipam.options = listOrDict(ipam.options, '');
  }
  return out;
}

/** A top-level volume (null means all defaults). */
export function normalizeVolume(key: string, value: unknown, project: string): Volume {
  const raw = asMapping(value);
  const out: Volume = {
    ...identity(key, raw, project),
    driver_opts: listOrDict(raw.driver_opts ?? {}, ''),
    labels: listOrDict(raw.labels ?? {}, ''),
    extensions: extensionsOf(raw),
  };
  if (raw.driver !== undefined) out.driver = toStr(raw.driver);
  return out;
}

/** A top-level secret or config; `file` is resolved against the project directory. */
export function normalizeFileObject(
  key: string,
  value: unknown,
  project: string,
  paths: PathResolver,
): SecretOrConfig {
  const raw = asMapping(value);
  const out: SecretOrConfig = { ...identity(key, raw, project), labels: listOrDict(raw.labels ?? {}, '') };
  if (raw.file !== undefined) out.file = resolveHostPath(toStr(raw.file), paths);
  if (raw.environment !== undefined) out.environment = toStr(raw.environment);
  if (raw.content !== undefined) out.content = toStr(raw.content);
  return out;
}

import type { Network, Service } from '../model/project.js';
import { canonicalJson, digestOf } from './canonical-json.js';

/**
 * Fields that never force a recreate (as in Compose's `ServiceHash`): how the image is made or
 * fetched, how many replicas run, and start ordering.
 */
const UNHASHED_FIELDS = new Set(['build', 'scale', 'depends_on', 'profiles', 'pull_policy']);

/** The part of a service whose change means its containers must be recreated, plus the image ID. */
export function hashedConfig(service: Service, imageId: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(service)) {
    if (UNHASHED_FIELDS.has(key) || value === undefined) continue;
    if (key === 'deploy' && value && typeof value === 'object') {
      const { replicas: _replicas, ...rest } = value as Record<string, unknown>;
      if (Object.keys(rest).length > 0) out.deploy = rest;
      continue;
    }
    out[key] = value;
  }
  out.image_id = imageId ?? '';
  return out;
}

/** `com.docker.compose.config-hash` for a service running `imageId`. */
export function serviceConfigHash(service: Service, imageId: string | undefined): string {
  return digestOf(hashedConfig(service, imageId));
}

/** The hash stored on a network, so a changed definition is noticed. */
export function networkConfigHash(network: Network): string {
  return digestOf(network);
}

/** One field of the hashed configuration that differs: `environment.FOO`, `command`, `image_id`. */
export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
}

/**
 * The fields that differ between two hashed configurations, one level deep into maps
 * (`environment.FOO`, `labels.x`), sorted by field.
 */
export function configDiff(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields
    .filter((f) => canonicalJson(a.get(f)) !== canonicalJson(b.get(f)))
    .map((field) => ({ field, before: a.get(field), after: b.get(field) }));
}

function flatten(config: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(config)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value as Record<string, unknown>)) out.set(`${key}.${sub}`, v);
    } else if (!(Array.isArray(value) && value.length === 0)) {
      out.set(key, value);
    }
  }
  return out;
}

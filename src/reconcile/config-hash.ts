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

/**
 * A short digest per hashed field, one level deep into maps (`environment.FOO`), stored as a
 * label so the reconciler can name the fields that changed without inspecting anything.
 */
export function fieldDigests(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) continue;
      for (const [sub, v] of entries) out[`${key}.${sub}`] = shortDigest(v);
    } else if (!(Array.isArray(value) && value.length === 0)) {
      out[key] = shortDigest(value);
    }
  }
  return out;
}

function shortDigest(value: unknown): string {
  return digestOf(canonicalJson(value)).slice(0, 10);
}

/** The field paths whose digests differ between two `fieldDigests` results, sorted. */
export function changedFields(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}

import { readFileSync } from 'node:fs';
import { ALL_CAPABILITIES, capabilitiesFromMask } from '../oci/capabilities.js';

let cached: string[] | undefined;

/** The engine's own bounding set, read once: the most a privileged container (or `CapAdd: ALL`) can get. */
export function engineCapabilities(): string[] {
  if (cached) return cached;
  const status = readFileSync('/proc/self/status', 'utf8');
  const mask = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  cached = mask ? capabilitiesFromMask(mask) : [...ALL_CAPABILITIES];
  return cached;
}

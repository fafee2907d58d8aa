import type { HostConfig } from '../containers/api-types.js';
import { invalid } from '../errors.js';

/** Default bound on a container's log: 10 MiB (Docker's json-file has no default; an unbounded log fills disks). */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;

/** Parses a `max-size` value as Docker's json-file does (`10m`, `512k`, `1g`, bytes). */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(value.trim());
  if (!m) throw invalid(`invalid log option max-size: ${value}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
    (m[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'
  ];
  return Math.floor(Number(m[1]) * mult);
}

/**
 * The log size bound for a container from `LogConfig` (`max-size` × `max-file`, since conmon keeps
 * one file and drops the oldest part when it reaches the bound). Minimum 64 KiB.
 */
export function logSizeMax(c: { HostConfig: HostConfig }): number {
  const cfg = c.HostConfig.LogConfig?.Config ?? {};
  const size = cfg['max-size'] ? parseSize(cfg['max-size']) : DEFAULT_LOG_MAX_BYTES;
  const files = cfg['max-file'] ? Math.max(1, Number.parseInt(cfg['max-file'], 10) || 1) : 1;
  return Math.max(64 * 1024, size * files);
}

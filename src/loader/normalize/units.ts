import { ValueError } from './problems.js';

/**
 * Durations and byte sizes as Compose writes them, to the model's units and back. Parsing
 * accepts Go's `time.ParseDuration` forms (`1m30s`, `1.5s`, `250ms`) and Docker's `RAMInBytes`
 * sizes (`512m`, `1.5g`, `1024`, binary multiples); formatting gives the shortest exact string
 * that parses back to the same value.
 */

const NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;

/** `1m30s` -> 90_000_000_000 (nanoseconds). A bare number is taken as seconds, as Compose does. */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number') return Math.round(value * 1e9);
  const s = String(value).trim();
  if (s === '0') return 0;
  if (/^\d+$/.test(s)) return Number(s) * 1e9;
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[-+]/, '');
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let m = DURATION_PART.exec(body); m; m = DURATION_PART.exec(body)) {
    total += Number(m[1]) * NS[m[2]];
    end = DURATION_PART.lastIndex;
  }
  if (body === '' || end !== body.length) throw new ValueError(`invalid duration "${value}"`);
  return sign * Math.round(total);
}

/** 90_000_000_000 -> `1m30s`; 1_500_000_000 -> `1s500ms`; 0 -> `0s`. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  let rest = Math.abs(ns);
  let out = ns < 0 ? '-' : '';
  for (const unit of ['h', 'm', 's', 'ms', 'us', 'ns']) {
    const n = Math.floor(rest / NS[unit]);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * NS[unit];
  }
  return out;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/** `512m` -> 536870912; numbers are bytes; `-1` (unlimited, for memswap_limit) stays -1. */
export function parseBytes(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const m = /^(-?\d+(?:\.\d+)?)\s?([kmgtp]?)(?:i?b)?$/i.exec(String(value).trim());
  if (!m) throw new ValueError(`invalid size "${value}"`);
  return Math.round(Number(m[1]) * BYTE_UNITS[m[2].toLowerCase()]);
}

/** 536870912 -> `512m`; sizes that are not a whole multiple of a unit stay numbers of bytes. */
export function formatBytes(bytes: number): string | number {
  if (bytes <= 0) return bytes;
  for (const unit of ['p', 't', 'g', 'm', 'k']) {
    if (bytes % BYTE_UNITS[unit] === 0) return `${bytes / BYTE_UNITS[unit]}${unit}`;
  }
  return bytes;
}

import { ValueError } from './problems.js';

/**
 * Coercions shared by the normalization rules. Values arrive schema-valid, but with
 * interpolation disabled or from YAML 1.1 habits, numbers and booleans may still be strings.
 */

/** A plain mapping from the tree, or an empty one. */
export function asMapping(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** `true`/`false`, also from `"yes"`, `"on"`, `"1"`... */
export function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).trim().toLowerCase();
  if (['true', 'yes', 'y', 'on', '1'].includes(s)) return true;
  if (['false', 'no', 'n', 'off', '0', ''].includes(s)) return false;
  throw new ValueError(`invalid boolean "${value}"`);
}

/** An integer, also from a numeric string. */
export function toInt(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n)) throw new ValueError(`invalid integer "${value}"`);
  return n;
}

/** A finite number, also from a numeric string. */
export function toNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (String(value).trim() === '' || !Number.isFinite(n)) throw new ValueError(`invalid number "${value}"`);
  return n;
}

/** A scalar as a string (numbers and booleans as YAML wrote them). */
export function toStr(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** A string or a list of strings, as a list. */
export function toList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value.map(toStr) : [toStr(value)];
}

/**
 * Compose's "list or dict": `[A=1, B]` or `{A: 1, B: null}`, as a map. Without `=`, a list item
 * maps to `bare` (null for environment: "from the process environment"; "" for labels).
 */
export function listOrDict<T extends string | null>(value: unknown, bare: T): Record<string, string | T> {
  const out: Record<string, string | T> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = toStr(item);
      const eq = s.indexOf('=');
      if (eq === -1) put(out, s, bare);
      else put(out, s.slice(0, eq), s.slice(eq + 1));
    }
  } else {
    for (const [k, v] of Object.entries(asMapping(value))) put(out, k, v === null ? bare : toStr(v));
  }
  return out;
}

/**
 * Bare names (`environment: [HOME]`, a null value) take their value from the project
 * environment (process environment over `.env`) when it is set there, as Compose resolves them;
 * the ones left null are resolved again from the process environment at run time.
 */
export function resolveBare(
  vars: Record<string, string | null>,
  environment: Record<string, string>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(vars))
    put(out, k, v ?? (Object.hasOwn(environment, k) ? environment[k] : null));
  return out;
}

/** `extra_hosts`: `["host:ip"]`, `["host=ip"]` or `{host: ip | [ips]}` -> `["host:ip", ...]` in file order. */
export function extraHosts(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map((e) => {
      const s = toStr(e);
      const eq = s.indexOf('=');
      return eq === -1 ? s : `${s.slice(0, eq)}:${s.slice(eq + 1)}`;
    });
  }
  return Object.entries(asMapping(value)).flatMap(([host, ips]) => toList(ips).map((ip) => `${host}:${ip}`));
}

/** Sets a key from user input as an own property, even `__proto__`. */
export function put<T>(obj: Record<string, T>, key: string, value: T): void {
  // Only `__proto__` needs defineProperty; a plain assignment is much faster on large stacks.
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** A copy of `obj` with keys sorted, for deterministic output. */
export function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(obj).sort()) put(out, k, obj[k]);
  return out;
}

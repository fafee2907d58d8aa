/**
 * Small helpers for the plain JS trees the loader stages pass along: mappings are plain objects,
 * sequences are arrays, scalars are strings, numbers, booleans or null.
 */
export type Mapping = Record<string, unknown>;

/** True for a plain mapping (not an array, not null). */
export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Sets `obj[key]` as an own, enumerable property, even for keys such as `__proto__` that a plain
 * assignment would treat specially: keys come from user files and must never reach a prototype.
 */
export function putKey(obj: Mapping, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** Own value of `obj[key]` (never an inherited one). */
export function getKey(obj: Mapping, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** A short, human name for a value's type, as messages use it. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a sequence';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

/** A query parameter value: arrays repeat the key, objects (filters) are sent as JSON. */
export type QueryValue = string | number | boolean | undefined | null | string[] | Record<string, unknown>;

/** Query parameters of one call; `undefined` and `null` values are left out. */
export type Query = Record<string, QueryValue>;

/** Engine filters (`label`, `name`, `status`, `id`, `dangling`...), each with the values to match. */
export type Filters = Record<string, string[]>;

/** Encodes a query string (with the leading `?`, or `''` when empty). Booleans become `1`/`0`. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const k = encodeURIComponent(key);
    if (Array.isArray(value)) {
      for (const v of value) parts.push(`${k}=${encodeURIComponent(v)}`);
    } else if (typeof value === 'object') {
      if (Object.keys(value).length) parts.push(`${k}=${encodeURIComponent(JSON.stringify(value))}`);
    } else {
      const v = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
      parts.push(`${k}=${encodeURIComponent(v)}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Encodes one path segment (a container ID, a name, an image reference). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/** Encodes an image reference for a path: `/`, `:` and `@` stay, as the engines route on them. */
export function imageSeg(ref: string): string {
  return encodeURIComponent(ref).replace(/%2F/gi, '/').replace(/%3A/gi, ':').replace(/%40/g, '@');
}

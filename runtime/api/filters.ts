import { invalid } from '../errors.js';

/** Filters as `{ key: [values] }`, whichever encoding the client used. */
export type Filters = Record<string, string[]>;

/**
 * Parses the `filters` query parameter. The Go CLI sends `{"label":{"k=v":true}}`, docker-py
 * sends `{"label":["k=v"]}`; both mean the same. An empty or absent parameter is no filter.
 */
export function parseFilters(raw: string | null): Filters {
  if (raw === null || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid(`invalid filter: ${JSON.stringify(raw)} is not JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid(`invalid filter: expected an object, got ${JSON.stringify(raw)}`);
  }
  const out: Filters = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      out[key] = value;
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.entries(value)
        .filter(([, on]) => on === true)
        .map(([v]) => v);
    } else if (typeof value === 'string') {
      out[key] = [value];
    } else {
      throw invalid(`invalid filter '${key}': expected a list or a map of values`);
    }
  }
  return out;
}

/** Refuses keys this endpoint does not know, as Docker does (`invalid filter 'x'`). */
export function checkFilterKeys(filters: Filters, allowed: readonly string[]): void {
  for (const key of Object.keys(filters)) {
    if (!allowed.includes(key)) throw invalid(`invalid filter '${key}'`);
  }
}

/**
 * True when labels satisfy every `label` filter value: `key` (present), `key=value` (equal).
 * `negate` inverts each term (Docker's `label!=` filter key).
 */
export function matchLabels(labels: Record<string, string>, terms: readonly string[] | undefined): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.every((term) => labelTerm(labels, term));
}

/** True when no term of a `label!` filter holds (an absent filter matches everything). */
export function matchNoLabels(labels: Record<string, string>, terms: readonly string[] | undefined): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.every((term) => !labelTerm(labels, term));
}

function labelTerm(labels: Record<string, string>, term: string): boolean {
  const eq = term.indexOf('=');
  if (eq < 0) return Object.hasOwn(labels, term);
  const key = term.slice(0, eq);
  return Object.hasOwn(labels, key) && labels[key] === term.slice(eq + 1);
}

/** True when the filter is absent or any of its values satisfies `test` (values are ORed). */
export function matchAny(terms: readonly string[] | undefined, test: (term: string) => boolean): boolean {
  return !terms || terms.length === 0 || terms.some(test);
}

/** A boolean filter value (`dangling=true`); anything but true/false/1/0 is a 400. */
export function filterBool(key: string, terms: readonly string[] | undefined): boolean | undefined {
  if (!terms || terms.length === 0) return undefined;
  const v = terms[terms.length - 1]!.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalid(`invalid filter '${key}=${terms[terms.length - 1]}'`);
}

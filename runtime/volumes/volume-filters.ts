import {
  checkFilterKeys,
  type Filters,
  filterBool,
  matchAny,
  matchLabels,
  matchNoLabels,
} from '../api/filters.js';
import type { VolumeRecord } from '../contracts.js';

/** Keys `GET /volumes` accepts. */
export const LIST_FILTER_KEYS = ['name', 'driver', 'label', 'dangling'] as const;
/** Keys `POST /volumes/prune` accepts (API 1.41: every unused volume, anonymous or named). */
export const PRUNE_FILTER_KEYS = ['label', 'label!'] as const;

/**
 * The list filter: `name` (a substring, as dockerd matches it), `driver`, `label`, and
 * `dangling` (true: used by no container; false: in use).
 */
export function volumeListFilter(filters: Filters, inUse: Set<string>): (v: VolumeRecord) => boolean {
  checkFilterKeys(filters, LIST_FILTER_KEYS);
  const dangling = filterBool('dangling', filters.dangling);
  return (v) =>
    matchAny(filters.name, (n) => v.Name.includes(n)) &&
    matchAny(filters.driver, (d) => d === v.Driver) &&
    matchLabels(v.Labels, filters.label) &&
    (dangling === undefined || dangling !== inUse.has(v.Name));
}

/** The prune filter over unused volumes: `label` and `label!`. */
export function volumePruneFilter(filters: Filters): (v: VolumeRecord) => boolean {
  checkFilterKeys(filters, PRUNE_FILTER_KEYS);
  return (v) => matchLabels(v.Labels, filters.label) && matchNoLabels(v.Labels, filters['label!']);
}

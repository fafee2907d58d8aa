import { checkFilterKeys, type Filters, matchAny, matchLabels } from '../api/filters.js';
import { invalid } from '../errors.js';
import type { ContainerRecord } from './container-record.js';

const KEYS = [
  'id',
  'name',
  'label',
  'status',
  'ancestor',
  'exited',
  'health',
  'network',
  'volume',
  'before',
  'since',
  'is-task',
];
const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

/** What a filter needs beyond the record: image matching and the container's networks. */
export interface FilterContext {
  /** True when `ref` names the container's image (by name, tag or ID prefix). */
  imageMatches(c: ContainerRecord, ref: string): boolean;
  networksOf(c: ContainerRecord): string[];
}

/** `GET /containers/json` filters as Docker applies them: values of one key ORed, keys ANDed. */
export function containerFilter(filters: Filters, fx: FilterContext): (c: ContainerRecord) => boolean {
  checkFilterKeys(filters, KEYS);
  for (const s of filters.status ?? [])
    if (!STATUSES.includes(s)) throw invalid(`invalid filter 'status=${s}'`);
  for (const h of filters.health ?? [])
    if (!['starting', 'healthy', 'unhealthy', 'none'].includes(h))
      throw invalid(`Unrecognised filter value for health: ${h}`);
  const exited = (filters.exited ?? []).map((e) => {
    const n = Number(e);
    if (!Number.isInteger(n)) throw invalid(`invalid filter 'exited=${e}'`);
    return n;
  });
  const names = (filters.name ?? []).map((v) => {
    try {
      return new RegExp(v.replace(/^\//, ''));
    } catch {
      throw invalid(`invalid filter 'name=${v}'`);
    }
  });
  return (c) =>
    matchAny(filters.id, (v) => c.Id.startsWith(v)) &&
    (names.length === 0 || names.some((re) => re.test(c.Name.slice(1)))) &&
    matchLabels(c.Config.Labels ?? {}, filters.label) &&
    matchAny(filters.status, (v) => c.State.Status === v) &&
    matchAny(filters.ancestor, (v) => fx.imageMatches(c, v)) &&
    (exited.length === 0 || (c.State.Status === 'exited' && exited.includes(c.State.ExitCode))) &&
    matchAny(filters.health, (v) => (c.State.Health?.Status ?? 'none') === v) &&
    matchAny(filters.network, (v) => fx.networksOf(c).includes(v)) &&
    matchAny(filters.volume, (v) =>
      c.MountPoints.some((m) => m.Name === v || m.Destination === v || m.Source === v),
    );
}

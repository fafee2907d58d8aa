import { MergeTag, stripMergeTags } from '../merge-tags.js';
import { carryPosition, childPosition, setChildPosition } from '../node-positions.js';
import { getKey, isMapping, type Mapping, putKey } from '../plain-tree.js';
import type { SourcePosition, TreePath } from '../tree-path.js';
import { mergeByShape, mergeMappings } from './merge-trees.js';
import {
  assignmentKey,
  envFileKey,
  fileRefKey,
  type ItemKey,
  mountTargetKey,
  portKey,
  subnetKey,
  valueKey,
} from './unique-keys.js';

/** How one field merges: base is plain, over may hold `!reset`/`!override` below it. */
export type MergeRule = (base: unknown, over: unknown, path: TreePath) => unknown;

const replace: MergeRule = (_base, over) => stripMergeTags(over);

/** Sequences appended, then one item per key (the later one, in the earlier one's place). */
function uniqueBy(keyOf: ItemKey): MergeRule {
  return (base, over, path) => {
    if (!isSequenceLike(base, over)) return mergeByShape(base, over, path);
    const items = [...entries(asList(base)), ...entries(asList(over))];
    return collect(items, keyOf);
  };
}

/** Mappings or `KEY=value` lists, merged by key; two mappings stay a mapping. */
function byKey(separators: string): MergeRule {
  const keyOf = assignmentKey(separators);
  const sep = separators[0]!;
  return (base, over, path) => {
    if (isMapping(base) && isMapping(over)) return mergeMappings(base, over, path);
    if (!isSequenceLike(base, over) && !isMapping(base) && !isMapping(over))
      return mergeByShape(base, over, path);
    return collect([...assignments(base, sep), ...assignments(over, sep)], keyOf);
  };
}

/**
 * Lists of names or mappings by name (`depends_on`, service `networks`): when a list meets a
 * mapping, each listed name becomes an entry with `entry()` as its long form.
 */
function listOrMapping(entry: () => unknown): MergeRule {
  return (base, over, path) => {
    if (Array.isArray(base) && Array.isArray(over)) return uniqueBy(valueKey)(base, over, path);
    return mergeByShape(namesToMapping(base, entry), namesToMapping(over, entry), path);
  };
}

/** `build: ./dir` is `build: {context: ./dir}`. */
const build: MergeRule = (base, over, path) => {
  const asObject = (v: unknown) => (typeof v === 'string' ? { context: v } : v);
  return mergeByShape(asObject(base), asObject(over), path);
};

/** Logging options merge only when both files name the same driver (or one names none). */
const logging: MergeRule = (base, over, path) => {
  if (!isMapping(base) || !isMapping(over)) return mergeByShape(base, over, path);
  const a = getKey(base, 'driver');
  const b = getKey(over, 'driver');
  return a === undefined || b === undefined || a === b
    ? mergeMappings(base, over, path)
    : stripMergeTags(over);
};

/** Compose's per-field merge rules, keyed by path pattern (see compose-spec 13-merge.md). */
export const MERGE_RULES: Readonly<Record<string, MergeRule>> = {
  'services.*.build': build,
  'services.*.build.args': byKey('='),
  'services.*.build.labels': byKey('='),
  'services.*.build.additional_contexts': byKey('='),
  'services.*.build.extra_hosts': byKey('=:'),
  'services.*.build.tags': uniqueBy(valueKey),
  'services.*.build.platforms': uniqueBy(valueKey),
  'services.*.build.cache_from': uniqueBy(valueKey),
  'services.*.command': replace,
  'services.*.entrypoint': replace,
  'services.*.healthcheck.test': replace,
  'services.*.environment': byKey('='),
  'services.*.labels': byKey('='),
  'services.*.annotations': byKey('='),
  'services.*.sysctls': byKey('='),
  'services.*.deploy.labels': byKey('='),
  'services.*.extra_hosts': byKey('=:'),
  'services.*.ports': uniqueBy(portKey),
  'services.*.volumes': uniqueBy(mountTargetKey),
  'services.*.devices': uniqueBy(mountTargetKey),
  'services.*.secrets': uniqueBy(fileRefKey('/run/secrets')),
  'services.*.configs': uniqueBy(fileRefKey('')),
  'services.*.env_file': uniqueBy(envFileKey),
  'services.*.label_file': uniqueBy(valueKey),
  'services.*.depends_on': listOrMapping(() => ({ condition: 'service_started' })),
  'services.*.networks': listOrMapping(() => null),
  'services.*.networks.*.aliases': uniqueBy(valueKey),
  'services.*.logging': logging,
  'services.*.ulimits.*': (base, over, path) =>
    isMapping(over) ? mergeByShape(base, over, path) : replace(base, over, path),
  'services.*.cap_add': uniqueBy(valueKey),
  'services.*.cap_drop': uniqueBy(valueKey),
  'services.*.dns': uniqueBy(valueKey),
  'services.*.dns_opt': uniqueBy(valueKey),
  'services.*.dns_search': uniqueBy(valueKey),
  'services.*.expose': uniqueBy(valueKey),
  'services.*.external_links': uniqueBy(valueKey),
  'services.*.group_add': uniqueBy(valueKey),
  'services.*.links': uniqueBy(valueKey),
  'services.*.profiles': uniqueBy(valueKey),
  'services.*.security_opt': uniqueBy(valueKey),
  'services.*.tmpfs': uniqueBy(valueKey),
  'networks.*.labels': byKey('='),
  'networks.*.ipam.config': uniqueBy(subnetKey),
  'volumes.*.labels': byKey('='),
  'secrets.*.labels': byKey('='),
  'configs.*.labels': byKey('='),
};

interface Entry {
  item: unknown;
  pos: SourcePosition | undefined;
}

function isSequenceLike(base: unknown, over: unknown): boolean {
  return Array.isArray(base) || Array.isArray(over);
}

/** A scalar where a list is also allowed (`dns: 8.8.8.8`) counts as a one-item list. */
function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof MergeTag && value.tag === 'override') return asList(value.value);
  return value === undefined || value === null ? [] : [value];
}

function entries(list: unknown[]): Entry[] {
  return list.map((item, i) => ({ item, pos: childPosition(list, i) }));
}

/** A mapping as `KEY=value` entries (a null value is a bare `KEY`). */
function assignments(value: unknown, sep: string): Entry[] {
  if (!isMapping(value)) return entries(asList(value));
  return Object.entries(value).map(([key, v]) => {
    const item =
      v instanceof MergeTag && v.tag === 'reset' ? v : v === null ? key : `${key}${sep}${String(v)}`;
    return {
      item: item instanceof MergeTag ? new MergeTag('reset', key) : item,
      pos: childPosition(value, key),
    };
  });
}

/** One entry per key, later ones replacing earlier ones in place; `!reset` entries remove their key. */
function collect(items: Entry[], keyOf: ItemKey): unknown[] {
  const byKey = new Map<string, Entry>();
  items.forEach((entry, i) => {
    if (entry.item instanceof MergeTag && entry.item.tag === 'reset') {
      byKey.delete(keyOf(entry.item.value) ?? `\u0000${i}`);
      return;
    }
    const item = stripMergeTags(entry.item);
    byKey.set(keyOf(item) ?? `\u0000${i}`, { item, pos: entry.pos });
  });
  const out: unknown[] = [];
  for (const { item, pos } of byKey.values()) {
    if (pos) setChildPosition(out, out.length, pos);
    out.push(item);
  }
  return out;
}

function namesToMapping(value: unknown, entry: () => unknown): unknown {
  if (!Array.isArray(value)) return value;
  const out: Mapping = {};
  value.forEach((name, i) => {
    if (typeof name !== 'string') return;
    carryPosition(value, i, out, name);
    putKey(out, name, entry());
  });
  return out;
}

import { BerthError } from '../../errors/kinds.js';
import { isMarkerFree, MergeTag, markMarkerFree } from '../merge-tags.js';
import { carryPosition, copyOwnPosition, locate } from '../node-positions.js';
import { type Mapping, putKey } from '../plain-tree.js';
import { formatPath, formatPosition } from '../tree-path.js';
import { type CastCursor, castAt, castRoot, stepCast } from './casts.js';
import { type Lookup, substitute, TemplateError } from './template.js';

/** What interpolation needs: the variables, and where to report variables used without a value. */
export interface InterpolationOptions {
  lookup: Lookup;
  /** Called once per unset variable, with where it was used. */
  onUnset?: (name: string, location: string | undefined) => void;
  /**
   * False for `--no-interpolate`: strings stay as written, and only the casts that do not depend
   * on substitution (file modes written as numbers) apply. Default true.
   */
  substitute?: boolean;
}

/**
 * Interpolates every string value of a parsed file (keys are left as written) and casts values
 * to the types the schema expects (casts.ts). Returns a tree with positions carried over; parts
 * that interpolation leaves as they are are shared with the input rather than copied (no stage
 * edits a tree in place). A bad template or a missing required variable fails with the
 * file:line:col and path of the value.
 */
export function interpolateTree(root: Mapping, options: InterpolationOptions): Mapping {
  const warned = new Set<string>();
  // One path, pushed and popped on the way down: casts read it, errors copy it.
  const path: Array<string | number> = [];
  const where = (parent: object, key: string | number) => {
    const pos = locate(parent, key);
    return pos ? formatPosition(pos) : undefined;
  };

  const interpolate = (value: string, parent: object, key: string | number, cast?: CastCursor) => {
    if (!value.includes('$')) return castAt(cast, value);
    const onUnset = (name: string) => {
      if (warned.has(name)) return;
      warned.add(name);
      options.onUnset?.(name, where(parent, key));
    };
    try {
      return castAt(cast, substitute(value, options.lookup, onUnset));
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      throw new BerthError('invalid', err.message, { location: where(parent, key), path: formatPath(path) });
    }
  };

  const visit: Visit = (value, parent, key, cast) => {
    if (value instanceof MergeTag) return new MergeTag(value.tag, visit(value.value, parent, key, cast));
    if (typeof value === 'string')
      return options.substitute === false ? value : interpolate(value, parent, key, cast);
    if (Array.isArray(value)) return mapItems(value, visit, path, cast);
    if (value !== null && typeof value === 'object') return mapEntries(value as Mapping, visit, path, cast);
    return castAt(cast, value);
  };
  const out = visit(root, root, '', castRoot()) as Mapping;
  // Interpolation makes a marker only where its input had one.
  return isMarkerFree(root) ? markMarkerFree(out) : out;
}

/** Visits one value; `cast` is where the walk stands in the cast tables (undefined: none below). */
type Visit = (value: unknown, parent: object, key: string | number, cast: CastCursor | undefined) => unknown;

/** `list` with `visit` applied to each item: the list itself when no item changes. */
function mapItems(
  list: unknown[],
  visit: Visit,
  path: Array<string | number>,
  cast: CastCursor | undefined,
): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    path.push(i);
    const item = list[i];
    const next = visit(item, list, i, stepCast(cast, i));
    path.pop();
    if (out === undefined && !Object.is(next, item)) out = list.slice(0, i);
    out?.push(next);
  }
  if (out === undefined) return list;
  for (let i = 0; i < list.length; i++) carryPosition(list, i, out, i);
  return copyOwnPosition(list, out);
}

/** `map` with `visit` applied to each value: the mapping itself when no value changes. */
function mapEntries(
  map: Mapping,
  visit: Visit,
  path: Array<string | number>,
  cast: CastCursor | undefined,
): Mapping {
  let out: Mapping | undefined;
  const keys = Object.keys(map);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    path.push(key);
    const item = map[key];
    const next = visit(item, map, key, stepCast(cast, key));
    path.pop();
    if (out === undefined && !Object.is(next, item)) {
      out = {};
      for (let k = 0; k < i; k++) putKey(out, keys[k]!, map[keys[k]!]);
    }
    if (out !== undefined) putKey(out, key, next);
  }
  if (out === undefined) return map;
  for (const key of keys) carryPosition(map, key, out, key);
  return copyOwnPosition(map, out);
}

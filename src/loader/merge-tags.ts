import { carryPosition, copyOwnPosition } from './node-positions.js';
import { putKey } from './plain-tree.js';

/**
 * `!reset` and `!override` as Compose reads them. The parser wraps a tagged value in a
 * {@link MergeTag}; interpolation looks through it; merge honours it (reset removes the value,
 * override replaces instead of merging); {@link stripMergeTags} removes whatever is left, so the
 * tree handed to validation is plain data.
 */
export class MergeTag {
  constructor(
    readonly tag: 'reset' | 'override',
    readonly value: unknown,
  ) {}
}

/** True when `value` is a `!reset` or `!override` marker. */
export function isMergeTag(value: unknown): value is MergeTag {
  return value instanceof MergeTag;
}

/** The value under a marker (a reset has none). */
export function untag(value: unknown): unknown {
  if (!(value instanceof MergeTag)) return value;
  return value.tag === 'reset' ? undefined : value.value;
}

/** Trees known to hold no marker anywhere; see {@link markMarkerFree}. */
const markerFree = new WeakSet<object>();

/**
 * Records that no marker is anywhere under `tree` (the plain-YAML parser never makes one), so
 * that {@link stripMergeTags} returns it without a walk. Trees are never edited in place, so the
 * record stays true.
 */
export function markMarkerFree<T extends object>(tree: T): T {
  markerFree.add(tree);
  return tree;
}

/** True when `tree` was recorded as holding no marker. */
export function isMarkerFree(tree: object): boolean {
  return markerFree.has(tree);
}

/**
 * `value` without markers: a `!reset` entry disappears, an `!override` becomes its value. Parts
 * without markers are shared, not copied; copies keep the positions of what they hold.
 */
export function stripMergeTags(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && markerFree.has(value)) return value;
  const plain = untag(value);
  if (Array.isArray(plain)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < plain.length; i++) {
      const item = plain[i];
      const reset = item instanceof MergeTag && item.tag === 'reset';
      const next = reset ? undefined : stripMergeTags(item);
      if (out === undefined && (reset || next !== item)) {
        out = plain.slice(0, i);
        for (let k = 0; k < i; k++) carryPosition(plain, k, out, k);
      }
      if (out === undefined || reset) continue;
      carryPosition(plain, i, out, out.length);
      out.push(next);
    }
    return out === undefined ? plain : copyOwnPosition(plain, out);
  }
  if (plain !== null && typeof plain === 'object') {
    const source = plain as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    const keys = Object.keys(source);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const item = source[key];
      const reset = item instanceof MergeTag && item.tag === 'reset';
      const next = reset ? undefined : stripMergeTags(item);
      if (out === undefined && (reset || next !== item)) {
        out = {};
        for (const earlier of keys.slice(0, i)) {
          carryPosition(source, earlier, out, earlier);
          putKey(out, earlier, source[earlier]);
        }
      }
      if (out === undefined || reset) continue;
      carryPosition(source, key, out, key);
      putKey(out, key, next);
    }
    return out === undefined ? plain : copyOwnPosition(plain, out);
  }
  return plain;
}

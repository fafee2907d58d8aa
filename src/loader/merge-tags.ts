import { carryPosition, copyOwnPosition } from './node-positions.js';

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

/**
 * A copy of `value` without markers: a `!reset` entry disappears, an `!override` becomes its value.
 * Positions are carried over to the copies.
 */
export function stripMergeTags(value: unknown): unknown {
  const plain = untag(value);
  if (Array.isArray(plain)) {
    const out: unknown[] = [];
    plain.forEach((item, i) => {
      if (item instanceof MergeTag && item.tag === 'reset') return;
      carryPosition(plain, i, out, out.length);
      out.push(stripMergeTags(item));
    });
    copyOwnPosition(plain, out);
    return out;
  }
  if (plain !== null && typeof plain === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(plain)) {
      if (item instanceof MergeTag && item.tag === 'reset') continue;
      carryPosition(plain, key, out, key);
      out[key] = stripMergeTags(item);
    }
    copyOwnPosition(plain, out);
    return out;
  }
  return plain;
}

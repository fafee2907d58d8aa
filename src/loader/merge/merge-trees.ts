import { MergeTag, stripMergeTags } from '../merge-tags.js';
import { carryPosition, copyMapping, copyOwnPosition } from '../node-positions.js';
import { getKey, isMapping, type Mapping, putKey } from '../plain-tree.js';
import { lookupRule, type TreePath } from '../tree-path.js';
import { MERGE_RULES } from './merge-rules.js';

/**
 * Merges `override` into `base` with Compose's rules: mappings merge key by key, sequences are
 * appended, scalars are replaced, and the fields listed in merge-rules.ts follow their own rule
 * (replace, merge by key, unique by target...). In `override`, `!reset` removes a value and
 * `!override` replaces it whole. `base` is plain (already merged); the result is plain, a new
 * tree with every value's position pointing into the file it came from.
 */
export function mergeTrees(base: Mapping, override: Mapping): Mapping {
  return copyOwnPosition(base, mergeMappings(base, override, []));
}

/** Merges one value; undefined means the value was reset and its key must go. */
export function mergeValue(base: unknown, over: unknown, path: TreePath): unknown {
  if (over instanceof MergeTag) return over.tag === 'reset' ? undefined : stripMergeTags(over.value);
  if (base === undefined) return stripMergeTags(over);
  // An emptied section (`environment:` with everything under it commented out) changes nothing;
  // removing a value takes `!reset`.
  if (over === null && (isMapping(base) || Array.isArray(base))) return base;
  const rule = lookupRule(MERGE_RULES, path);
  if (rule) return rule(base, over, path);
  return mergeByShape(base, over, path);
}

/** The default rule: mappings merge, sequences append, anything else is replaced. */
export function mergeByShape(base: unknown, over: unknown, path: TreePath): unknown {
  if (isMapping(base) && isMapping(over)) return mergeMappings(base, over, path);
  if (Array.isArray(base) && Array.isArray(over)) return appendSequences(base, over);
  return stripMergeTags(over);
}

/** Key-by-key merge; `x-*` extension keys are replaced whole, as Compose does. */
export function mergeMappings(base: Mapping, over: Mapping, path: TreePath): Mapping {
  const out = copyMapping(base);
  for (const [key, value] of Object.entries(over)) {
    const current = getKey(out, key);
    const merged = key.startsWith('x-')
      ? mergeValue(undefined, value, path)
      : mergeValue(current, value, [...path, key]);
    if (merged === undefined) {
      delete out[key];
      continue;
    }
    carryPosition(over, key, out, key);
    putKey(out, key, merged);
  }
  return out;
}

/** `base` then `override`, items keeping their positions; `!reset` items are dropped. */
export function appendSequences(base: unknown[], over: unknown[]): unknown[] {
  const out: unknown[] = [];
  base.forEach((item, i) => {
    carryPosition(base, i, out, out.length);
    out.push(item);
  });
  over.forEach((item, i) => {
    if (item instanceof MergeTag && item.tag === 'reset') return;
    carryPosition(over, i, out, out.length);
    out.push(stripMergeTags(item));
  });
  return out;
}

import { BerthError } from '../../errors/kinds.js';
import { MergeTag } from '../merge-tags.js';
import { carryPosition, copyOwnPosition, locate } from '../node-positions.js';
import { type Mapping, putKey } from '../plain-tree.js';
import { formatPath, formatPosition, type TreePath } from '../tree-path.js';
import { castForPath } from './casts.js';
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
 * to the types the schema expects (casts.ts). Returns a new tree with positions carried over. A
 * bad template or a missing required variable fails with the file:line:col and path of the value.
 */
export function interpolateTree(root: Mapping, options: InterpolationOptions): Mapping {
  const warned = new Set<string>();
  const visit = (value: unknown, path: TreePath, parent: object, key: string | number): unknown => {
    if (value instanceof MergeTag) return new MergeTag(value.tag, visit(value.value, path, parent, key));
    if (typeof value === 'string' && options.substitute === false) return value;
    if (typeof value === 'string') {
      const where = locate(parent, key);
      const location = where ? formatPosition(where) : undefined;
      const onUnset = (name: string) => {
        if (warned.has(name)) return;
        warned.add(name);
        options.onUnset?.(name, location);
      };
      try {
        return castForPath(path, substitute(value, options.lookup, onUnset));
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        throw new BerthError('invalid', err.message, { location, path: formatPath(path) });
      }
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((item, i) => {
        carryPosition(value, i, out, i);
        out.push(visit(item, [...path, i], value, i));
      });
      return copyOwnPosition(value, out);
    }
    if (value !== null && typeof value === 'object') {
      const out: Mapping = {};
      for (const [k, item] of Object.entries(value)) {
        carryPosition(value, k, out, k);
        putKey(out, k, visit(item, [...path, k], value, k));
      }
      return copyOwnPosition(value, out);
    }
    return castForPath(path, value);
  };
  return visit(root, [], root, '') as Mapping;
}

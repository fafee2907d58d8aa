import { childPosition, ownPosition } from '../../../src/loader/node-positions.js';
import { parseWithLibrary } from '../../../src/loader/parse-yaml.js';
import { parsePlainYaml } from '../../../src/loader/plain-yaml/parse-plain-yaml.js';
import { formatPosition } from '../../../src/loader/tree-path.js';

/** Every node of a parsed tree with where it was written: `path value @file:line:col`, one per line. */
export function describeTree(tree: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    const entries: Array<[string | number, unknown]> = Array.isArray(node)
      ? node.map((v, i) => [i, v])
      : Object.entries(node);
    if (!Array.isArray(node)) out.push(`${path} {${Object.keys(node).length}}`);
    for (const [key, value] of entries) {
      const pos = childPosition(node, key);
      const shown =
        value !== null && typeof value === 'object'
          ? ''
          : ` ${typeof value} ${String(Object.is(value, -0) ? '-0' : value)}`;
      out.push(`${path}/${key}${shown} @${pos ? formatPosition(pos) : '?'}`);
      walk(value, `${path}/${key}`);
    }
  };
  const root = ownPosition(tree as object);
  out.push(`root @${root ? formatPosition(root) : '?'}`);
  walk(tree, '');
  return out.join('\n');
}

/**
 * Compares the fast path with the `yaml` library on one text: undefined when they agree (the fast
 * path declined, or both give the same tree and positions), else what differs.
 */
export function parityProblem(text: string): string | undefined {
  const fast = parsePlainYaml(text, 'c.yaml');
  if (fast === undefined) return undefined;
  let library: string;
  try {
    library = describeTree(parseWithLibrary(text, 'c.yaml'));
  } catch (err) {
    return `the library rejects what the fast path took: ${(err as Error).message}`;
  }
  const mine = describeTree(fast);
  if (mine === library) return undefined;
  const a = mine.split('\n');
  const b = library.split('\n');
  const i = a.findIndex((line, k) => line !== b[k]);
  return `fast: ${a[i]}\nlibrary: ${b[i]}`;
}

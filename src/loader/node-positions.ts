import { putKey } from './plain-tree.js';
import { PositionIndex, type SourcePosition, type TreePath } from './tree-path.js';

/**
 * Positions travel with the tree while it is transformed: each container (mapping or sequence)
 * knows where each of its children was written. Stages that build new containers copy the
 * positions of the children they keep, so after include/extends/merge every value still points
 * into the file it came from. {@link toPositionIndex} flattens this into the path-keyed index the
 * later stages use.
 */
const childPositions = new WeakMap<object, Map<string | number, SourcePosition>>();
const ownPositions = new WeakMap<object, SourcePosition>();

/** Records where `container[key]` was written. */
export function setChildPosition(container: object, key: string | number, pos: SourcePosition): void {
  let map = childPositions.get(container);
  if (!map) {
    map = new Map();
    childPositions.set(container, map);
  }
  map.set(key, pos);
}

/** Where `container[key]` was written, if known. */
export function childPosition(container: object, key: string | number): SourcePosition | undefined {
  return childPositions.get(container)?.get(key);
}

/** Records where a container itself starts (used for the document root). */
export function setOwnPosition(container: object, pos: SourcePosition): void {
  ownPositions.set(container, pos);
}

/** Where a container itself starts, if known. */
export function ownPosition(container: object): SourcePosition | undefined {
  return ownPositions.get(container);
}

/** Gives `to` the own position of `from` (a copy of a container starts where the original did). */
export function copyOwnPosition<T extends object>(from: object, to: T): T {
  const pos = ownPositions.get(from);
  if (pos) ownPositions.set(to, pos);
  return to;
}

/** Copies the position of `from[fromKey]` to `to[toKey]`, when there is one. */
export function carryPosition(
  from: object,
  fromKey: string | number,
  to: object,
  toKey: string | number,
): void {
  const pos = childPosition(from, fromKey);
  if (pos) setChildPosition(to, toKey, pos);
}

/**
 * A shallow copy of a mapping without the keys in `omit`, keeping where each kept value and the
 * mapping itself were written.
 */
export function copyMapping(
  from: Record<string, unknown>,
  omit: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(from)) {
    if (omit.includes(key)) continue;
    carryPosition(from, key, out, key);
    putKey(out, key, value);
  }
  return copyOwnPosition(from, out);
}

/**
 * The positions of the nodes reachable from `root`, looked up through the tree when asked for.
 * The tree must not change afterwards (loader stages build new trees rather than edit old ones).
 */
export function toPositionIndex(root: object): PositionIndex {
  return new PositionIndex((path) => positionAt(root, path));
}

/** Where the node at `path` under `root` was written, if it exists and its position is known. */
function positionAt(root: object, path: TreePath): SourcePosition | undefined {
  if (path.length === 0) return ownPosition(root);
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    node = child(node, path[i]!);
    if (node === undefined) return undefined;
  }
  const container = node as object;
  const last = path[path.length - 1]!;
  if (child(container, last) === undefined && !hasChild(container, last)) return undefined;
  return childPosition(container, Array.isArray(container) ? Number(last) : String(last));
}

function child(node: unknown, key: string | number): unknown {
  if (node === null || typeof node !== 'object' || !hasChild(node, key)) return undefined;
  return (node as Record<string, unknown>)[key];
}

function hasChild(node: object, key: string | number): boolean {
  if (Array.isArray(node))
    return Number.isInteger(Number(key)) && Number(key) >= 0 && Number(key) < node.length;
  return Object.hasOwn(node, String(key));
}

/** The position of `container[key]`, else of the container, for error messages. */
export function locate(container: object, key: string | number): SourcePosition | undefined {
  return childPosition(container, key) ?? ownPosition(container);
}

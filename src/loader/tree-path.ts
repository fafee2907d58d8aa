/**
 * Paths into a stack tree. A path is a list of segments (keys and array indices); service names
 * may contain dots, so paths are never joined with dots for lookups. Rule tables are keyed by
 * patterns such as `services.*.ports` (dot-separated, `*` matches one segment), matched against
 * the segments.
 */
export type TreePath = ReadonlyArray<string | number>;

/** Where a node came from. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** A stable map key for a path (unit separator between segments). */
export function pathKey(path: TreePath): string {
  return path.join('\u001f');
}

/** Renders a path for messages: `services.web.ports[0]`. */
export function formatPath(path: TreePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** Renders a position for messages: `compose.yaml:12:7`. */
export function formatPosition(pos: SourcePosition): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** True when `path` matches `pattern` (`services.*.ports`; numbers match `*` too). */
export function matchesPattern(path: TreePath, pattern: string): boolean {
  return matchesParts(path, patternParts(pattern));
}

/** Finds the rule for `path` in a table keyed by patterns; the first matching pattern wins. */
export function lookupRule<T>(table: Readonly<Record<string, T>>, path: TreePath): T | undefined {
  return find(compiledRules(table), path, 0, undefined)?.[1] as T | undefined;
}

/**
 * Where a walk down a tree stands in a rule table: the trie nodes its path so far reaches. A walk
 * that steps one segment at a time pays per node only for that segment, and learns as soon as
 * no rule can match below (the cursor is empty) that a whole subtree needs no lookups.
 */
export type RuleCursor = readonly RuleTrie[];

const NO_RULES: RuleCursor = [];

/** The cursor at the root of a tree, for `table`. */
export function ruleCursor(table: Readonly<Record<string, unknown>>): RuleCursor {
  return [compiledRules(table)];
}

/** The cursor one segment further down; empty when no pattern of the table can match below. */
export function stepRule(cursor: RuleCursor, segment: string | number): RuleCursor {
  if (cursor.length === 0) return NO_RULES;
  const out: RuleTrie[] = [];
  for (const node of cursor) {
    const exact = node.exact.size > 0 ? node.exact.get(String(segment)) : undefined;
    if (exact) out.push(exact);
    if (node.star) out.push(node.star);
  }
  return out.length > 0 ? out : NO_RULES;
}

/** The rule for the path the cursor stands at (the first matching pattern wins), if any. */
export function ruleAt<T>(cursor: RuleCursor): T | undefined {
  let best: [number, unknown] | undefined;
  for (const node of cursor) if (node.rule && (!best || node.rule[0] < best[0])) best = node.rule;
  return best?.[1] as T | undefined;
}

/**
 * Rule tables are consulted for every node of every file, so each is compiled once into a trie
 * of its patterns' segments. A leaf keeps the rule with its pattern's place in the table, so
 * that of several matching patterns the first one written wins.
 */
export interface RuleTrie {
  exact: Map<string, RuleTrie>;
  star?: RuleTrie;
  rule?: [number, unknown];
}

const splitPatterns = new Map<string, readonly string[]>();
const compiledTables = new WeakMap<object, RuleTrie>();

function patternParts(pattern: string): readonly string[] {
  let parts = splitPatterns.get(pattern);
  if (!parts) {
    parts = pattern.split('.');
    splitPatterns.set(pattern, parts);
  }
  return parts;
}

function compiledRules(table: Readonly<Record<string, unknown>>): RuleTrie {
  let trie = compiledTables.get(table);
  if (!trie) {
    const root: RuleTrie = { exact: new Map() };
    Object.entries(table).forEach(([pattern, rule], order) => {
      let node = root;
      for (const part of patternParts(pattern)) {
        let next = part === '*' ? node.star : node.exact.get(part);
        if (!next) {
          next = { exact: new Map() };
          if (part === '*') node.star = next;
          else node.exact.set(part, next);
        }
        node = next;
      }
      node.rule ??= [order, rule];
    });
    trie = root;
    compiledTables.set(table, trie);
  }
  return trie;
}

function find(
  node: RuleTrie,
  path: TreePath,
  depth: number,
  best: [number, unknown] | undefined,
): [number, unknown] | undefined {
  if (depth === path.length) return node.rule && (!best || node.rule[0] < best[0]) ? node.rule : best;
  const exact = node.exact.size > 0 ? node.exact.get(String(path[depth])) : undefined;
  let found = exact ? find(exact, path, depth + 1, best) : best;
  if (node.star) found = find(node.star, path, depth + 1, found);
  return found;
}

function matchesParts(path: TreePath, parts: readonly string[]): boolean {
  if (parts.length !== path.length) return false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part !== '*' && part !== String(path[i])) return false;
  }
  return true;
}

/**
 * Positions of the nodes of a (merged) tree: for each path, where its value was written. After a
 * merge, a path points into the file its value came from. Lookups fall back to the nearest
 * ancestor, so every path has a place to report. Positions are recorded with `set`, or found on
 * demand by `exact` (the tree's own record of its nodes' positions): most loads never ask for a
 * position, so none is flattened ahead of time.
 */
export class PositionIndex {
  private readonly map = new Map<string, SourcePosition>();

  constructor(private readonly exact?: (path: TreePath) => SourcePosition | undefined) {}

  set(path: TreePath, pos: SourcePosition): void {
    this.map.set(pathKey(path), pos);
  }

  /** The position of `path`, or of its nearest recorded ancestor. */
  get(path: TreePath): SourcePosition | undefined {
    for (let n = path.length; n >= 0; n--) {
      const prefix = path.slice(0, n);
      const pos = (this.map.size > 0 ? this.map.get(pathKey(prefix)) : undefined) ?? this.exact?.(prefix);
      if (pos) return pos;
    }
    return undefined;
  }

  /** Copies every recorded entry of `other` (later files win). */
  absorb(other: PositionIndex): void {
    for (const [k, v] of other.map) this.map.set(k, v);
  }
}

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
  const rules = compiledRules(table)[path.length];
  if (!rules) return undefined;
  for (const [parts, rule] of rules) if (matchesParts(path, parts)) return rule;
  return undefined;
}

// Rule tables are consulted for every node of every file, so patterns are split once and
// grouped by length rather than split again on each lookup.
const splitPatterns = new Map<string, readonly string[]>();
const compiledTables = new WeakMap<object, Array<Array<[readonly string[], unknown]>>>();

function patternParts(pattern: string): readonly string[] {
  let parts = splitPatterns.get(pattern);
  if (!parts) {
    parts = pattern.split('.');
    splitPatterns.set(pattern, parts);
  }
  return parts;
}

function compiledRules<T>(table: Readonly<Record<string, T>>): Array<Array<[readonly string[], T]>> {
  let byLength = compiledTables.get(table);
  if (!byLength) {
    byLength = [];
    for (const [pattern, rule] of Object.entries(table)) {
      const parts = patternParts(pattern);
      const group = byLength[parts.length] ?? [];
      group.push([parts, rule]);
      byLength[parts.length] = group;
    }
    compiledTables.set(table, byLength);
  }
  return byLength as Array<Array<[readonly string[], T]>>;
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
 * ancestor, so every path has a place to report.
 */
export class PositionIndex {
  private readonly map = new Map<string, SourcePosition>();

  set(path: TreePath, pos: SourcePosition): void {
    this.map.set(pathKey(path), pos);
  }

  /** The position of `path`, or of its nearest recorded ancestor. */
  get(path: TreePath): SourcePosition | undefined {
    for (let n = path.length; n >= 0; n--) {
      const pos = this.map.get(pathKey(path.slice(0, n)));
      if (pos) return pos;
    }
    return undefined;
  }

  /** Copies every entry of `other` (later files win). */
  absorb(other: PositionIndex): void {
    for (const [k, v] of other.map) this.map.set(k, v);
  }
}

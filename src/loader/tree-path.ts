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
  const parts = pattern.split('.');
  if (parts.length !== path.length) return false;
  return parts.every((p, i) => p === '*' || p === String(path[i]));
}

/** Finds the rule for `path` in a table keyed by patterns; the first matching pattern wins. */
export function lookupRule<T>(table: Readonly<Record<string, T>>, path: TreePath): T | undefined {
  for (const [pattern, rule] of Object.entries(table)) if (matchesPattern(path, pattern)) return rule;
  return undefined;
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

import { markMarkerFree } from '../merge-tags.js';
import { setChildPosition, setOwnPosition } from '../node-positions.js';
import { type Mapping, putKey } from '../plain-tree.js';
import type { SourcePosition } from '../tree-path.js';
import { readFlow } from './flow.js';
import { NotPlain, notPlain, readQuoted, resolvePlain } from './scalars.js';

/**
 * A fast path for the parse stage. Stack files are nearly always written in a small part of YAML:
 * block mappings and sequences, one-line flow collections, plain and quoted one-line scalars,
 * comments. This reads that part in one pass over the lines, straight into the loader's plain
 * tree with the same values and positions the `yaml` library path gives (parse-yaml.ts), at a
 * fraction of its cost. Anything else — anchors, tags, merge keys, block or multi-line scalars,
 * documents markers, tabs, duplicate keys, anything malformed — returns undefined, and the `yaml`
 * library then parses the file and reports its problems. A test holds the two paths equal.
 */
export function parsePlainYaml(text: string, file: string): Mapping | undefined {
  if (OUTSIDE_SUBSET.test(text)) return undefined;
  try {
    return new PlainYamlReader(text, file).document();
  } catch (err) {
    if (err instanceof NotPlain) return undefined;
    throw err;
  }
}

/** Characters the subset leaves to the library: tabs, CR, control and special Unicode characters. */
const OUTSIDE_SUBSET = /[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;

/** Starts a line the library reads as a directive or a document marker. */
const MARKER = /^(?:%|---(?: |$)|\.\.\.(?: |$))/;

/** More nodes than this is left to the library, which applies the loader's node budget. */
const MAX_NODES = 50_000;

/** A line index meaning "no more content". */
const END = Number.MAX_SAFE_INTEGER;

class PlainYamlReader {
  private readonly lines: string[];
  /** Indentation of each line; -1 for blank and comment-only lines. */
  private readonly indents: number[];
  /** The first line not yet consumed. */
  private next = 0;
  private budget = MAX_NODES;

  constructor(
    text: string,
    private readonly file: string,
  ) {
    this.lines = text.split('\n');
    this.indents = this.lines.map((line) => {
      if (MARKER.test(line)) notPlain('a directive or document marker');
      let i = 0;
      while (line.charCodeAt(i) === 32) i++;
      return i === line.length || line[i] === '#' ? -1 : i;
    });
  }

  document(): Mapping | undefined {
    const first = this.contentFrom(0);
    if (first === END) return undefined;
    const col = this.indents[first]!;
    const root = this.mappingKey(first, col) ? this.blockMapping(first, col) : undefined;
    if (!root || this.contentFrom(this.next) !== END) return undefined;
    setOwnPosition(root, this.at(first, col));
    // The subset has no tags, so no `!reset`/`!override` marker anywhere.
    return markMarkerFree(root);
  }

  private at(line: number, col: number): SourcePosition {
    return { file: this.file, line: line + 1, col: col + 1 };
  }

  /** The first line from `line` on with content, or END. */
  private contentFrom(line: number): number {
    for (let i = line; i < this.lines.length; i++) if (this.indents[i]! >= 0) return i;
    return END;
  }

  private count(): void {
    if (--this.budget < 0) notPlain('a very large file');
  }

  /** A block node starting at `lines[line][col]`, the first thing on its line or after `- `. */
  private blockNode(line: number, col: number): unknown {
    if (this.isSequenceItem(line, col)) return this.blockSequence(line, col);
    if (this.mappingKey(line, col)) return this.blockMapping(line, col);
    return this.inlineValue(line, col)[0];
  }

  private isSequenceItem(line: number, col: number): boolean {
    const text = this.lines[line]!;
    return text[col] === '-' && (col + 1 === text.length || text[col + 1] === ' ');
  }

  /** The key of a `key: value` entry at `lines[line][col]` and where its value part starts. */
  private mappingKey(line: number, col: number): { key: string; after: number } | undefined {
    const text = this.lines[line]!;
    const c = text[col];
    if (c === '"' || c === "'") {
      const [key, end] = readQuoted(text, col);
      const colon = skipSpaces(text, end);
      if (text[colon] !== ':' || !endsToken(text, colon + 1)) return undefined;
      return { key, after: colon + 1 };
    }
    if (c === '[' || c === '{' || c === '?' || isIndicator(text, col)) return undefined;
    let colon = text.indexOf(':', col);
    while (colon >= 0 && !endsToken(text, colon + 1)) colon = text.indexOf(':', colon + 1);
    if (colon < 0) return undefined;
    const comment = text.indexOf(' #', col);
    if (comment >= 0 && comment < colon) return undefined;
    const source = text.slice(col, colon).trimEnd();
    if (source.length > 1000 || source === '<<' || /[[\]{},]/.test(source[0] ?? '[')) {
      notPlain('an unusual key');
    }
    const key = resolvePlain(source);
    if (typeof key !== 'string') notPlain('a key that is not a string');
    return { key, after: colon + 1 };
  }

  private blockMapping(line: number, col: number): Mapping {
    const out: Mapping = {};
    for (let at = line; ; ) {
      const entry = this.mappingKey(at, col) ?? notPlain('a line that is not a mapping entry');
      if (Object.hasOwn(out, entry.key)) notPlain('a duplicate key');
      const [value, pos] = this.entryValue(at, col, entry.after, true);
      this.count();
      setChildPosition(out, entry.key, pos);
      putKey(out, entry.key, value);
      at = this.contentFrom(this.next);
      if (at === END || this.indents[at]! < col) return out;
      if (this.indents[at]! > col) notPlain('a line indented more than its mapping');
    }
  }

  private blockSequence(line: number, col: number): unknown[] {
    const out: unknown[] = [];
    for (let at = line; ; ) {
      const [value, pos] = this.entryValue(at, col, col + 1, false);
      this.count();
      setChildPosition(out, out.length, pos);
      out.push(value);
      at = this.contentFrom(this.next);
      if (at === END || this.indents[at]! < col) return out;
      if (this.indents[at]! > col) notPlain('a line indented more than its sequence');
      if (!this.isSequenceItem(at, col)) return out;
    }
  }

  /**
   * The value after `key:` or `- ` (from `lines[line][from]`) and the position the library path
   * records for it: a scalar's own start, a collection's key (for a sequence item, its start).
   */
  private entryValue(line: number, col: number, from: number, keyed: boolean): [unknown, SourcePosition] {
    const text = this.lines[line]!;
    const start = skipSpaces(text, from);
    if (start < text.length && text[start] !== '#') {
      this.next = line + 1;
      if (!keyed && this.isSequenceItem(line, start))
        return [this.blockSequence(line, start), this.at(line, start)];
      if (!keyed && this.mappingKey(line, start))
        return [this.blockMapping(line, start), this.at(line, start)];
      const [value, scalar] = this.inlineValue(line, start);
      return [value, this.at(line, keyed && !scalar ? col : start)];
    }
    const below = this.contentFrom(line + 1);
    const indent = below === END ? -1 : this.indents[below]!;
    if (indent > col || (keyed && indent === col && this.isSequenceItem(below, col))) {
      const value = this.blockNode(below, indent);
      const scalar = value === null || typeof value !== 'object';
      return [value, keyed && !scalar ? this.at(line, col) : this.at(below, indent)];
    }
    this.next = line + 1;
    return [null, this.at(line, start)];
  }

  /**
   * A flow collection, quoted or plain scalar that ends on its line (a comment may follow), and
   * whether it is a scalar. Consumes the line.
   */
  private inlineValue(line: number, start: number): [unknown, boolean] {
    const text = this.lines[line]!;
    this.next = line + 1;
    const c = text[start]!;
    let value: unknown;
    let end: number;
    if (c === '[' || c === '{')
      [value, end] = readFlow(
        text,
        start,
        (col) => this.at(line, col),
        () => this.count(),
      );
    else if (c === '"' || c === "'") [value, end] = readQuoted(text, start);
    else {
      if (isIndicator(text, start) || c === '?' || c === ']' || c === '}' || c === ',') {
        notPlain('an indicator the subset leaves to the library');
      }
      const comment = text.indexOf(' #', start);
      const source = text.slice(start, comment < 0 ? text.length : comment).trimEnd();
      if (source.includes(': ') || source.endsWith(':')) notPlain('a colon inside a plain scalar');
      return [resolvePlain(source), true];
    }
    const rest = skipSpaces(text, end);
    if (rest < text.length && (text[rest] !== '#' || rest === end)) notPlain('text after a value');
    return [value, c !== '[' && c !== '{'];
  }
}

/** The index of the first non-space at or after `i`. */
export function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

/** True when `text[i]` ends a `:` or `-` indicator: a space or the end of the line. */
export function endsToken(text: string, i: number): boolean {
  return i >= text.length || text.charCodeAt(i) === 32;
}

/** Characters that give a node properties or start a block scalar, alias or comment; `- ` and `: `. */
function isIndicator(text: string, i: number): boolean {
  const c = text[i]!;
  if ('&*!|>%@`#'.includes(c)) return true;
  return (c === '-' || c === ':') && endsToken(text, i + 1);
}

import { setChildPosition } from '../node-positions.js';
import { type Mapping, putKey } from '../plain-tree.js';
import type { SourcePosition } from '../tree-path.js';
import { notPlain, readQuoted, resolvePlain } from './scalars.js';

/** Characters that end a plain scalar inside a flow collection. */
const FLOW_END = /[,[\]{}]| #|:(?=[ ,[\]{}]|$)/g;

/**
 * A flow collection (`[a, "b"]`, `{a: 1, b: [c]}`) that starts at `line[start]` and ends on the
 * same line: its value and the index after it. `at` turns a column into a position, `count` is
 * called once per node. Entries are recorded at the positions the `yaml` library path gives:
 * a scalar (or an empty value) where it starts, a collection in a mapping at its key.
 */
export function readFlow(
  line: string,
  start: number,
  at: (col: number) => SourcePosition,
  count: () => void,
): [unknown, number] {
  const item = (i: number): [unknown, number, boolean] => {
    const c = line[i];
    if (c === '[' || c === '{') return [...collection(i), false];
    if (c === '"' || c === "'") return [...readQuoted(line, i), true];
    if (c === undefined || '&*!|>%@`#-?:,]}'.includes(c)) {
      // `-x`, `?x` and `:x` are plain scalars, but the subset leaves them to the library here.
      notPlain('an indicator inside a flow collection');
    }
    FLOW_END.lastIndex = i;
    const end = FLOW_END.exec(line)?.index ?? line.length;
    const source = line.slice(i, end).trimEnd();
    return [resolvePlain(source), i + source.length, true];
  };

  const collection = (open: number): [unknown, number] => {
    const isMap = line[open] === '{';
    const close = isMap ? '}' : ']';
    const out: unknown[] | Mapping = isMap ? {} : [];
    let i = skip(line, open + 1);
    while (line[i] !== close) {
      if (isMap) {
        const [key, afterKey, scalar] = item(i);
        if (!scalar || typeof key !== 'string' || key === '<<' || Object.hasOwn(out, key)) {
          notPlain('an unusual or duplicate key in a flow mapping');
        }
        const colon = skip(line, afterKey);
        if (line[colon] !== ':' || !' ,}'.includes(line[colon + 1] ?? ''))
          notPlain('a flow entry without ": "');
        const v = skip(line, colon + 1);
        const empty = line[v] === ',' || line[v] === '}';
        const [value, end, isScalar] = empty ? [null, v, true] : item(v);
        setChildPosition(out, key, at(isScalar ? v : i));
        putKey(out as Mapping, key, value);
        i = skip(line, end);
      } else {
        const [value, end] = item(i);
        setChildPosition(out, (out as unknown[]).length, at(i));
        (out as unknown[]).push(value);
        i = skip(line, end);
        if (line[i] === ':') notPlain('a mapping inside a flow sequence');
      }
      count();
      if (line[i] === ',') i = skip(line, i + 1);
      else if (line[i] !== close) notPlain('a flow collection that does not end on its line');
    }
    return [out, i + 1];
  };

  return collection(start);
}

function skip(line: string, i: number): number {
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * Scalars of the plain YAML subset (see parse-plain-yaml.ts): plain scalars resolved as the
 * `yaml` library resolves them with the loader's options (YAML 1.2 core schema, C-style octals
 * first), and single- or double-quoted scalars written on one line. Whatever is not certain to
 * read exactly as the library reads it throws {@link NotPlain}.
 */

/** Thrown when text leaves the subset; the caller then parses the file with the `yaml` library. */
export class NotPlain {
  constructor(readonly reason: string) {}
}

/** Leaves the subset. */
export function notPlain(reason: string): never {
  throw new NotPlain(reason);
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const C_OCTAL = /^[-+]?0[0-7]+$/;
const OCTAL = /^0o[0-7]+$/;
const DECIMAL = /^[-+]?[0-9]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** A plain scalar's value: null, boolean, number or the string itself, in the schema's order. */
export function resolvePlain(source: string): unknown {
  const c = source.charCodeAt(0);
  // Only these can start a null, boolean or number; anything else is a string.
  const digit = c >= 48 && c <= 57;
  if (!(digit || c === 43 || c === 45 || c === 46 || c === 126 || 'nNtTfF'.includes(source[0] ?? ''))) {
    return source === '' ? null : source;
  }
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === 't' || source[0] === 'T';
  if (C_OCTAL.test(source)) return Number.parseInt(source, 8);
  if (OCTAL.test(source)) return Number.parseInt(source.slice(2), 8);
  if (DECIMAL.test(source)) return Number.parseInt(source, 10);
  if (HEX.test(source)) return Number.parseInt(source.slice(2), 16);
  if (SPECIAL_FLOAT.test(source)) {
    if (source.slice(-3).toLowerCase() === 'nan') return Number.NaN;
    return source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT.test(source)) return Number.parseFloat(source);
  return source;
}

/** A quoted scalar starting at `line[start]`: its value and the index after the closing quote. */
export function readQuoted(line: string, start: number): [string, number] {
  return line[start] === "'" ? readSingleQuoted(line, start) : readDoubleQuoted(line, start);
}

function readSingleQuoted(line: string, start: number): [string, number] {
  let out = '';
  let i = start + 1;
  for (;;) {
    const close = line.indexOf("'", i);
    if (close < 0) notPlain('a quoted scalar that goes on to the next line');
    out += line.slice(i, close);
    if (line[close + 1] !== "'") return [out, close + 1];
    out += "'";
    i = close + 2;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

function readDoubleQuoted(line: string, start: number): [string, number] {
  let out = '';
  let i = start + 1;
  for (;;) {
    const quote = line.indexOf('"', i);
    const slash = line.indexOf('\\', i);
    if (quote < 0) notPlain('a quoted scalar that goes on to the next line');
    if (slash < 0 || quote < slash) return [out + line.slice(i, quote), quote + 1];
    out += line.slice(i, slash);
    const code = line[slash + 1] ?? '';
    const simple = ESCAPES[code];
    if (simple !== undefined) {
      out += simple;
      i = slash + 2;
      continue;
    }
    const width = HEX_DIGITS[code];
    const digits = width ? line.slice(slash + 2, slash + 2 + width) : '';
    if (!width || !new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits)) notPlain('an unusual escape');
    const point = Number.parseInt(digits, 16);
    if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) notPlain('an unusual escape');
    out += String.fromCodePoint(point);
    i = slash + 2 + width;
  }
}

import { BerthError } from '../errors/kinds.js';
import { type Lookup, substitute, TemplateError } from './interpolation/template.js';

/** The `format:` values an `env_file` entry can have: Compose's `.env` syntax, or values as written. */
export const ENV_FILE_FORMATS: readonly string[] = ['env', 'raw'];

/**
 * Parses a `.env` / `--env-file` / `env_file` as Compose reads it: `KEY=value` or `KEY: value`
 * lines, an optional `export ` prefix, `#` comments (whole lines, or after whitespace in an
 * unquoted value), single quotes (literal, may span lines), double quotes (escapes `\n \t \r \\ \"
 * \$`, interpolated, may span lines), unquoted values (trimmed, interpolated). A bare `KEY`
 * takes its value from `lookup`, and is left out when unset. Values may use variables defined
 * earlier in the file; `lookup` (the process environment) wins over them, as it wins over the
 * file's own values. Pure: errors carry `file:line:col`.
 */
export function parseEnvFile(
  text: string,
  file: string,
  lookup: Lookup = () => undefined,
): Record<string, string> {
  const vars: Record<string, string> = Object.create(null);
  const resolve: Lookup = (name) => lookup(name) ?? vars[name];
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let pos = 0;
  const errorAt = (message: string, at: number): BerthError => {
    const before = src.slice(0, at);
    const line = before.split('\n').length;
    const col = at - before.lastIndexOf('\n');
    return new BerthError('invalid', message, { location: `${file}:${line}:${col}` });
  };
  const fail = (message: string, at = pos): never => {
    throw errorAt(message, at);
  };
  const expand = (value: string, at: number): string => {
    try {
      return substitute(value, resolve);
    } catch (err) {
      if (err instanceof TemplateError) throw errorAt(err.message, at);
      throw err;
    }
  };
  while (pos < src.length) {
    const eol = src.indexOf('\n', pos) === -1 ? src.length : src.indexOf('\n', pos);
    const raw = src.slice(pos, eol);
    const trimmed = raw.trimStart();
    const start = pos + (raw.length - trimmed.length);
    if (trimmed === '' || trimmed.startsWith('#')) {
      pos = eol + 1;
      continue;
    }
    const body = trimmed.startsWith('export ') ? trimmed.slice(7).trimStart() : trimmed;
    const keyStart = start + (trimmed.length - body.length);
    const keyMatch = /^[^=:\s#]*/.exec(body)![0];
    if (!/^[A-Za-z0-9_.-]+$/.test(keyMatch))
      fail(`invalid variable name "${keyMatch || body.split(/\s/)[0]}"`, keyStart);
    let after = body.slice(keyMatch.length).trimStart();
    if (after === '' || after.startsWith('#')) {
      const inherited = lookup(keyMatch);
      if (inherited !== undefined) vars[keyMatch] = inherited;
      pos = eol + 1;
      continue;
    }
    if (after[0] !== '=' && after[0] !== ':')
      fail(`expected "=" after variable name "${keyMatch}"`, keyStart);
    after = after.slice(1).replace(/^[ \t]+/, '');
    const valueStart = eol - after.length;
    const quote = after[0];
    let value: string;
    let next: number;
    if (quote === "'" || quote === '"') {
      const close = findClosingQuote(src, valueStart + 1, quote);
      if (close < 0)
        fail(
          `unterminated ${quote === '"' ? 'double' : 'single'}-quoted value for "${keyMatch}"`,
          valueStart,
        );
      const inner = src.slice(valueStart + 1, close);
      value = quote === "'" ? inner : expand(unescapeDouble(inner), valueStart);
      const rest = src.indexOf('\n', close) === -1 ? src.length : src.indexOf('\n', close);
      const trailing = src.slice(close + 1, rest).trim();
      if (trailing !== '' && !trailing.startsWith('#'))
        fail(`unexpected text after the closing quote of "${keyMatch}"`, close + 1);
      next = rest + 1;
    } else {
      const unquoted = after.replace(/\s+#.*$/, '').trim();
      value = expand(unquoted, valueStart);
      next = eol + 1;
    }
    vars[keyMatch] = value;
    pos = next;
  }
  return { ...vars };
}

function findClosingQuote(src: string, from: number, quote: string): number {
  for (let i = from; i < src.length; i++) {
    if (quote === '"' && src[i] === '\\') i++;
    else if (src[i] === quote) return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '$$' };

/** Double-quoted escapes; an escaped `$` becomes `$$` so interpolation keeps it literal. */
function unescapeDouble(inner: string): string {
  return inner.replace(/\\(.)/gs, (whole, ch: string) => ESCAPES[ch] ?? whole);
}

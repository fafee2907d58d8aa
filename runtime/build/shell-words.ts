import { invalid } from '../errors.js';

/** Variables visible to a substitution, and which of them it read (for the build cache). */
export interface Substitution {
  lookup(name: string): string | undefined;
}

/** Variables from `KEY=value` strings (later entries win). */
export function envLookup(env: readonly string[]): Substitution {
  const map = new Map<string, string>();
  for (const kv of env) {
    const eq = kv.indexOf('=');
    if (eq > 0) map.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return { lookup: (name) => map.get(name) };
}

/**
 * Expands one word as Docker's builder does for ADD, COPY, ENV, WORKDIR...: single quotes are
 * literal, double quotes keep spaces and expand, the esc character quotes the next one,
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}`.
 */
export function expandWord(word: string, vars: Substitution, esc = '\\'): string {
  return expand(word, vars, esc, false)[0] ?? '';
}

/** Splits on unquoted whitespace and expands each word (COPY/ADD sources, EXPOSE, VOLUME...). */
export function expandWords(text: string, vars: Substitution, esc = '\\'): string[] {
  return expand(text, vars, esc, true);
}

function expand(text: string, vars: Substitution, esc: string, split: boolean): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const variable = (): string => {
    // text[i] is '$'
    const next = text[i + 1];
    if (next === '{') {
      const close = findClose(text, i + 2);
      const body = text.slice(i + 2, close);
      i = close + 1;
      return braced(body, vars, esc);
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9]/.exec(text.slice(i + 1));
    if (!m) {
      i++;
      return '$';
    }
    i += 1 + m[0].length;
    return vars.lookup(m[0]) ?? '';
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (split && /\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === esc) {
      cur += text[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0)
        throw invalid(
          `unexpected end of statement while looking for matching single-quote in ${JSON.stringify(text)}`,
        );
      cur += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        const d = text[i] as string;
        if (d === esc && (text[i + 1] === '"' || text[i + 1] === '$' || text[i + 1] === esc)) {
          cur += text[i + 1];
          i += 2;
        } else if (d === '$') cur += variable();
        else {
          cur += d;
          i++;
        }
      }
      if (i >= text.length)
        throw invalid(
          `unexpected end of statement while looking for matching double-quote in ${JSON.stringify(text)}`,
        );
      i++;
    } else if (c === '$') cur += variable();
    else {
      cur += c;
      i++;
    }
  }
  if (inWord || !split) words.push(cur);
  return words;
}

function findClose(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j;
  }
  throw invalid(`missing '}' in ${JSON.stringify(text)}`);
}

function braced(body: string, vars: Substitution, esc: string): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(body);
  if (!m?.[1]) throw invalid(`bad substitution: \${${body}}`);
  const value = vars.lookup(m[1]);
  const op = m[2];
  if (!op) return value ?? '';
  const word = () => expandWord(m[3] ?? '', vars, esc);
  const set = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
  switch (op.replace(':', '')) {
    case '-':
      return set ? (value as string) : word();
    case '+':
      return set ? word() : '';
    default:
      if (!set) throw invalid(`${m[1]}: ${word() || 'is not allowed to be unset'}`);
      return value as string;
  }
}

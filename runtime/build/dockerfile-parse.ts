import { invalid } from '../errors.js';
import { dockerfileLines } from './dockerfile-lines.js';

/** One instruction of a Dockerfile, before substitution. */
export interface Instruction {
  /** The keyword, lower case (`from`, `run`, ...). */
  cmd: string;
  /** `--name=value` flags before the arguments (`--from`, `--chown`, `--platform`...). */
  flags: Record<string, string>;
  /** The arguments after the flags, as written (shell form), or the JSON array's items. */
  rest: string;
  /** Set when the arguments were a JSON array of strings (exec form). */
  json?: string[];
  /** The logical line as written (continuations joined), for `Step n/m : ...`. */
  original: string;
  line: number;
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  directives: Record<string, string>;
  escape: string;
  instructions: Instruction[];
}

const KNOWN = new Set([
  'from',
  'run',
  'cmd',
  'label',
  'maintainer',
  'expose',
  'env',
  'add',
  'copy',
  'entrypoint',
  'volume',
  'user',
  'workdir',
  'arg',
  'onbuild',
  'stopsignal',
  'healthcheck',
  'shell',
]);
/** The flags the classic builder knows per instruction (BuildKit-only ones such as RUN --mount are refused). */
const FLAGS: Record<string, readonly string[]> = {
  from: ['platform'],
  copy: ['from', 'chown', 'chmod'],
  add: ['chown', 'chmod'],
  healthcheck: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};
/** Instructions whose arguments may be a JSON array. */
const JSON_FORM = new Set(['run', 'cmd', 'entrypoint', 'shell', 'copy', 'add', 'volume']);

/** Parses a Dockerfile as Docker's classic builder reads it; errors name the line. */
export function parseDockerfile(source: string): Dockerfile {
  const { directives, escape: esc, lines } = dockerfileLines(source);
  const instructions = lines.map((l) => parseInstruction(l.text, l.line));
  if (instructions.length === 0) throw invalid('the Dockerfile (Dockerfile) cannot be empty');
  return { directives, escape: esc, instructions };
}

/** Parses one logical line (also the text of an ONBUILD trigger). */
export function parseInstruction(text: string, line: number): Instruction {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
  const cmd = (m?.[1] ?? '').toLowerCase();
  if (!KNOWN.has(cmd))
    throw invalid(
      `dockerfile parse error line ${line}: unknown instruction: ${(m?.[1] ?? '').toUpperCase()}`,
    );
  let rest = m?.[2] ?? '';
  const flags: Record<string, string> = {};
  if (cmd !== 'onbuild') {
    for (;;) {
      const f = /^--([a-zA-Z][a-zA-Z0-9-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest);
      if (!f?.[1]) break;
      if (!(FLAGS[cmd] ?? []).includes(f[1]))
        throw invalid(`dockerfile parse error line ${line}: Unknown flag: ${f[1]}`);
      flags[f[1]] = f[2] ?? 'true';
      rest = rest.slice(f[0].length);
    }
  }
  const out: Instruction = { cmd, flags, rest, original: text, line };
  if (JSON_FORM.has(cmd) && rest.startsWith('[')) {
    const parsed = tryJsonArray(rest);
    if (parsed) out.json = parsed;
  }
  if (cmd === 'shell' && !out.json) {
    throw invalid(`dockerfile parse error line ${line}: SHELL requires the arguments to be in JSON form`);
  }
  return out;
}

function tryJsonArray(text: string): string[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  } catch {
    // not JSON: the shell form
  }
  return undefined;
}

/**
 * `KEY=value KEY2="v 2"` pairs (ENV, LABEL, ARG), or the legacy `ENV KEY value with spaces`.
 * Values keep their quotes here: substitution removes them.
 */
export function splitPairs(
  rest: string,
  esc: string,
  legacy: boolean,
  name = 'ENV',
): Array<[string, string]> {
  const words = splitRaw(rest, esc);
  const first = words[0];
  if (first === undefined) return [];
  if (!first.includes('=')) {
    if (!legacy) return words.map((w) => [w, '']);
    const value = rest.slice(rest.indexOf(first) + first.length).trim();
    if (!value) throw invalid(`${name} must have two arguments`);
    return [[first, value]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw invalid(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** Splits on whitespace outside quotes, keeping quotes and escapes. */
export function splitRaw(text: string, esc: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === esc && quote !== "'") {
      cur += c + (text[i + 1] ?? '');
      i++;
    } else if (quote) {
      if (c === quote) quote = '';
      cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      cur += c;
    } else if (/\s/.test(c)) {
      if (cur) words.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) words.push(cur);
  return words;
}

import { invalid } from '../errors.js';

/** A logical Dockerfile line: continuations joined, comments dropped. */
export interface LogicalLine {
  /** The joined text, leading whitespace trimmed. */
  text: string;
  /** 1-based number of the line it starts on. */
  line: number;
  /** 1-based number of the line it ends on. */
  endLine: number;
}

/** The parser directives (`# escape=`` ` ``, `# syntax=...`) and the logical lines after them. */
export interface DockerfileLines {
  directives: Record<string, string>;
  escape: string;
  lines: LogicalLine[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const KNOWN_DIRECTIVES = new Set(['escape', 'syntax', 'check']);

/**
 * Splits a Dockerfile into logical lines as Docker's parser reads it: directives only before
 * the first comment, empty line or instruction; comment lines dropped even inside a
 * continuation; a line ending in the escape character continues on the next one.
 */
export function dockerfileLines(source: string): DockerfileLines {
  const raw = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const directives: Record<string, string> = {};
  let i = 0;
  for (; i < raw.length; i++) {
    const m = DIRECTIVE.exec(raw[i] ?? '');
    const key = m?.[1]?.toLowerCase();
    if (!m || !key || !KNOWN_DIRECTIVES.has(key)) break;
    if (key in directives) throw invalid(`only one ${key} parser directive can be used (line ${i + 1})`);
    directives[key] = m[2] ?? '';
  }
  const esc = directives.escape ?? '\\';
  if (esc !== '\\' && esc !== '`') {
    throw invalid(`invalid escape token '${esc}' does not match \` or \\`);
  }
  const continuation = new RegExp(`${esc === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const isComment = (l: string) => /^\s*#/.test(l);
  const lines: LogicalLine[] = [];
  while (i < raw.length) {
    const first = raw[i] ?? '';
    const start = i++;
    if (isComment(first) || first.trim() === '') continue;
    let text = first.replace(/^\s+/, '');
    let open = continuation.test(text);
    if (open) text = text.replace(continuation, '');
    while (open && i < raw.length) {
      const next = raw[i++] ?? '';
      if (isComment(next) || next.trim() === '') continue;
      open = continuation.test(next);
      text += open ? next.replace(continuation, '') : next;
    }
    text = text.replace(/\s+$/, '');
    if (text !== '') lines.push({ text, line: start + 1, endLine: i });
  }
  return { directives, escape: esc, lines };
}

/** One `.dockerignore` rule, compiled. */
interface IgnoreRule {
  pattern: string;
  regex: RegExp;
  exception: boolean;
}

/**
 * `.dockerignore` matching with Docker's rules: one pattern per line, `#` comments, patterns
 * relative to the context root (a leading `/` is dropped), Go `filepath.Match` syntax (`*` and
 * `?` stop at `/`, `[...]` classes, `\` escapes) plus `**` for any number of directories; a
 * pattern that matches a directory matches everything below it; `!` re-includes; the last
 * matching rule wins.
 */
export class DockerIgnore {
  private readonly rules: IgnoreRule[];

  constructor(text: string) {
    this.rules = parseDockerIgnore(text);
  }

  /** True when some rule re-includes (then excluded directories must still be walked). */
  get hasExceptions(): boolean {
    return this.rules.some((r) => r.exception);
  }

  /** True when the context-relative path (`/`-separated) is excluded from the context. */
  excludes(path: string): boolean {
    const candidates = selfAndParents(path);
    let excluded = false;
    for (const rule of this.rules) {
      if (candidates.some((c) => rule.regex.test(c))) excluded = !rule.exception;
    }
    return excluded;
  }
}

/** Parses the lines of a `.dockerignore` file into rules. */
function parseDockerIgnore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const exception = line.startsWith('!');
    if (exception) line = line.slice(1).trim();
    const pattern = cleanPath(line);
    if (!pattern) continue;
    rules.push({ pattern, exception, regex: compilePattern(pattern) });
  }
  return rules;
}

/** Like Go's `filepath.Clean` for a relative pattern: no leading `/`, no `.` or empty segments, `..` resolved. */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** Compiles one cleaned pattern to an anchored regular expression. */
export function compilePattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      i++;
      if (i === pattern.length - 1) re += '.*';
      else if (pattern[i + 1] === '/') {
        re += '(?:.*/)?';
        i++;
      } else re += '.*';
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\' && i + 1 < pattern.length) re += escapeChar(pattern[++i]!);
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += body.startsWith('^') ? `[^/${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else re += escapeChar(ch);
  }
  return new RegExp(`^${re}$`);
}

function escapeChar(ch: string): string {
  return /[.+^${}()|[\]\\/*?]/.test(ch) ? `\\${ch}` : ch;
}

/** `a/b/c` → `[a/b/c, a/b, a]`. */
function selfAndParents(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('/'));
}

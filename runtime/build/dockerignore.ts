import { posix } from 'node:path';

/** One `.dockerignore` rule. */
interface Rule {
  exclusion: boolean;
  regex: RegExp;
}

/**
 * Docker's `.dockerignore` rules: one pattern a line, `#` comments, `!` re-includes, Go
 * filepath.Match syntax plus `**` for any number of directories; a path is excluded when it or
 * one of its parent directories matches; the last matching rule wins.
 */
export interface IgnoreMatcher {
  /** Whether `path` (relative to the context, `/`-separated) is excluded. */
  excludes(path: string): boolean;
  /** Whether some `!` rule could re-include something below `dir` (so the walk must enter it). */
  mayReinclude(dir: string): boolean;
}

/** Compiles the text of a `.dockerignore` file. */
export function parseDockerignore(text: string): IgnoreMatcher {
  const rules: Rule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exclusion = line.startsWith('!');
    if (exclusion) line = line.slice(1).trim();
    let cleaned = posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
    if (cleaned === '.' || cleaned === '') cleaned = '.';
    rules.push({ exclusion, regex: patternRegex(cleaned) });
  }
  return {
    excludes(path: string): boolean {
      const parts = posix.normalize(path).replace(/^\/+/, '').split('/');
      let excluded = false;
      for (const rule of rules) {
        let hit = rule.regex.test(parts.join('/'));
        for (let n = 1; !hit && n < parts.length; n++) hit = rule.regex.test(parts.slice(0, n).join('/'));
        if (hit) excluded = !rule.exclusion;
      }
      return excluded;
    },
    mayReinclude(): boolean {
      return rules.some((r) => r.exclusion);
    },
  };
}

/** Go filepath.Match syntax with `**`, anchored, as a regular expression. */
export function patternRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRegex(pattern[++i] as string);
    } else re += escapeRegex(c);
  }
  return new RegExp(`^${re}$`);
}

const escapeRegex = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

import { describe, expect, it } from 'vitest';
import { parseDockerignore } from '../../../../runtime/build/dockerignore.js';

const rules = parseDockerignore(
  [
    '# comment',
    '*.log',
    '!keep.log',
    'tmp/',
    '**/cache',
    '/abs',
    'docs/*.md',
    '!docs/README.md',
    'a?c',
    '[xy].txt',
  ].join('\n'),
);

describe('.dockerignore', () => {
  it.each([
    ['app.log', true],
    ['keep.log', false],
    ['sub/app.log', false],
    ['tmp', true],
    ['tmp/x/y', true],
    ['cache', true],
    ['deep/er/cache/file', true],
    ['abs', true],
    ['docs/guide.md', true],
    ['docs/README.md', false],
    ['docs/sub/guide.md', false],
    ['abc', true],
    ['abbc', false],
    ['x.txt', true],
    ['z.txt', false],
    ['src/main.ts', false],
    ['comment', false],
  ])('%s excluded: %s', (path, excluded) => {
    expect(rules.excludes(path)).toBe(excluded);
  });

  it('the last matching rule wins', () => {
    const m = parseDockerignore('!a\n*');
    expect(m.excludes('a')).toBe(true);
    expect(parseDockerignore('*\n!a').excludes('a')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { cleanPath, compilePattern, DockerIgnore } from '../../../src/client/build/dockerignore.js';

describe('DockerIgnore', () => {
  const ignore = new DockerIgnore(
    [
      '# comment',
      '',
      '  node_modules  ',
      '/dist',
      '*.log',
      '!keep.log',
      'docs/**/*.md',
      '!docs/README.md',
      'tmp?',
      '**/cache',
      'src/[a-c]*.ts',
      'lib/[^x]y',
      './build/../out',
    ].join('\n'),
  );

  it.each([
    ['node_modules', true],
    ['node_modules/a/b.js', true],
    ['dist/app.js', true],
    ['src/dist', false],
    ['error.log', true],
    ['sub/error.log', false],
    ['keep.log', false],
    ['docs/a.md', true],
    ['docs/x/y/z.md', true],
    ['docs/README.md', false],
    ['docs/a.txt', false],
    ['tmp1', true],
    ['tmp12', false],
    ['cache', true],
    ['a/b/cache/file', true],
    ['src/b1.ts', true],
    ['src/d1.ts', false],
    ['lib/ay', true],
    ['lib/xy', false],
    ['out/file', true],
    ['Dockerfile', false],
  ])('%s excluded: %s', (path, excluded) => {
    expect(ignore.excludes(path)).toBe(excluded);
  });

  it('knows when exceptions force walking excluded directories', () => {
    expect(ignore.hasExceptions).toBe(true);
    expect(new DockerIgnore('a\nb').hasExceptions).toBe(false);
  });

  it('lets the last matching rule win', () => {
    const rules = new DockerIgnore('*.md\n!README.md\nREADME.md');
    expect(rules.excludes('README.md')).toBe(true);
  });

  it('re-includes a file inside an excluded directory', () => {
    const rules = new DockerIgnore('vendor\n!vendor/keep.txt');
    expect(rules.excludes('vendor/drop.txt')).toBe(true);
    expect(rules.excludes('vendor/keep.txt')).toBe(false);
  });
});

describe('pattern compilation', () => {
  it('cleans paths like Go filepath.Clean', () => {
    expect(cleanPath('/a//b/./c/../d/')).toBe('a/b/d');
  });

  it('keeps * and ? within one path component, escapes regex characters', () => {
    expect(compilePattern('a*').test('a/b')).toBe(false);
    expect(compilePattern('a.b+(c)').test('a.b+(c)')).toBe(true);
    expect(compilePattern('a.b').test('axb')).toBe(false);
    expect(compilePattern('\\*x').test('*x')).toBe(true);
    expect(compilePattern('**').test('any/depth/file')).toBe(true);
  });
});

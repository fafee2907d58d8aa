/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: the cases are Dockerfile substitutions */
import { describe, expect, it } from 'vitest';
import { envLookup, expandWord, expandWords } from '../../../../runtime/build/shell-words.js';

const vars = envLookup(['A=a', 'EMPTY=', 'SP=x y']);

describe('expandWord', () => {
  it.each([
    ['$A', 'a'],
    ['${A}b', 'ab'],
    ['$UNSET-', '-'],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${A:-d}', 'a'],
    ['${A:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:+alt}', ''],
    ["'$A'", '$A'],
    ['"$A b"', 'a b'],
    ['\\$A', '$A'],
    ['"\\"q\\""', '"q"'],
    ['$', '$'],
    ['${UNSET:-${A}}', 'a'],
  ])('%s -> %j', (word, expected) => {
    expect(expandWord(word, vars)).toBe(expected);
  });

  it('uses the escape directive', () => {
    expect(expandWord('`$A', vars, '`')).toBe('$A');
    expect(expandWord('C:\\dir', vars, '`')).toBe('C:\\dir');
  });

  it('fails on ${VAR:?msg} when unset, and on bad braces', () => {
    expect(() => expandWord('${UNSET:?must be set}', vars)).toThrow('UNSET: must be set');
    expect(() => expandWord('${A', vars)).toThrow("missing '}'");
    expect(() => expandWord('"open', vars)).toThrow('double-quote');
  });
});

describe('expandWords', () => {
  it('splits on unquoted whitespace after expansion of each word', () => {
    expect(expandWords('$A "b c"  d\\ e $SP', vars)).toEqual(['a', 'b c', 'd e', 'x y']);
  });
});

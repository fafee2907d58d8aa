// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose interpolation syntax is the subject of these tests
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../../src/errors/kinds.js';
import { parseEnvFile } from '../../../src/loader/env-file.js';

const parse = (text: string, env: Record<string, string> = {}) => parseEnvFile(text, '.env', (n) => env[n]);

describe('parseEnvFile', () => {
  it.each([
    ['A=1', { A: '1' }],
    ['A = 1 ', { A: '1' }],
    ['export A=1', { A: '1' }],
    ['A: 1', { A: '1' }],
    ['A=', { A: '' }],
    ['# comment\n\nA=1\n  # indented comment', { A: '1' }],
    ['A=1 # trailing comment', { A: '1' }],
    ['A=1#not-a-comment', { A: '1#not-a-comment' }],
    ["A='single $B \\n'", { A: 'single $B \\n' }],
    ['A="double \\"q\\" \\n \\t \\\\"', { A: 'double "q" \n \t \\' }],
    ['A="a # not a comment" # comment', { A: 'a # not a comment' }],
    ['A="line1\nline2"\nB=2', { A: 'line1\nline2', B: '2' }],
    ["A='line1\nline2'\nB=2", { A: 'line1\nline2', B: '2' }],
    ['A=1\nB=${A}2', { A: '1', B: '12' }],
    ['A=1\nB="${A}2"', { A: '1', B: '12' }],
    ["A=1\nB='${A}'", { A: '1', B: '${A}' }],
    ['B=${MISSING:-fallback}', { B: 'fallback' }],
    ['A="\\$HOME"', { A: '$HOME' }],
    ['A=$$HOME', { A: '$HOME' }],
    ['A=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['\uFEFFA=1', { A: '1' }],
    ['DOTS.AND-DASHES=ok', { 'DOTS.AND-DASHES': 'ok' }],
    ['A=1\nA=2', { A: '2' }],
    ['A=a=b=c', { A: 'a=b=c' }],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('takes a bare name from the environment, and skips it when unset', () => {
    expect(parse('FROM_ENV\nUNSET_HERE', { FROM_ENV: 'x' })).toEqual({ FROM_ENV: 'x' });
  });

  it('lets the process environment win in references', () => {
    expect(parse('A=file\nB=${A}', { A: 'process' })).toEqual({ A: 'file', B: 'process' });
  });

  it.each([
    ['A="unterminated', '.env:1:3', /unterminated double-quoted value for "A"/],
    ["X=1\nA='unterminated\nB=2", '.env:2:3', /unterminated single-quoted/],
    ['BAD NAME=1', '.env:1:1', /expected "=" after variable name "BAD"/],
    ['A="x" junk', '.env:1:6', /unexpected text after the closing quote/],
    ['A=1\nB=${REQ:?needed}', '.env:2:3', /required variable "REQ" is missing a value: needed/],
    ['=value', '.env:1:1', /invalid variable name/],
    ['A=${', '.env:1:3', /missing "}"/],
  ])('%j fails at its place', (text, location, message) => {
    try {
      parse(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BerthError);
      expect((err as BerthError).context.location).toBe(location);
      expect((err as BerthError).message).toMatch(message);
    }
  });
});

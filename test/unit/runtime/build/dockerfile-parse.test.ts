import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDockerfile, splitPairs } from '../../../../runtime/build/dockerfile-parse.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('parseDockerfile', () => {
  for (const name of ['every-form', 'backtick']) {
    it(`matches the golden file for ${name}`, () => {
      const parsed = parseDockerfile(fixture(`${name}.Dockerfile`));
      expect(JSON.parse(JSON.stringify(parsed))).toEqual(JSON.parse(fixture(`${name}.golden.json`)));
    });
  }

  it('stops reading directives at the first comment or empty line', () => {
    const parsed = parseDockerfile('# hello\n# escape=`\nFROM x\nRUN a \\\n b');
    expect(parsed.escape).toBe('\\');
    expect(parsed.instructions[1]?.rest).toBe('a  b');
  });

  it.each([
    ['FROB x', 'line 1: unknown instruction: FROB'],
    ['# escape=x\nFROM a', "invalid escape token 'x'"],
    ['', 'cannot be empty'],
    ['FROM a\nSHELL sh -c', 'SHELL requires the arguments to be in JSON form'],
  ])('refuses %j', (text, message) => {
    expect(() => parseDockerfile(text)).toThrow(message);
  });
});

describe('splitPairs', () => {
  it.each([
    [
      'A=1 B="x y" C=',
      false,
      [
        ['A', '1'],
        ['B', '"x y"'],
        ['C', ''],
      ],
    ],
    ['KEY some value', true, [['KEY', 'some value']]],
    ['NAME', false, [['NAME', '']]],
  ])('%j', (text, legacy, pairs) => {
    expect(splitPairs(text, '\\', legacy)).toEqual(pairs);
  });
});

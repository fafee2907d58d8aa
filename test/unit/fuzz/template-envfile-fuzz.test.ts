import { describe, expect, it } from 'vitest';
import { isBerthError } from '../../../src/errors/kinds.js';
import { parseEnvFile } from '../../../src/loader/env-file.js';
import { substitute, TemplateError } from '../../../src/loader/interpolation/template.js';
import { prng } from './mutations.js';

const ALPHABET = [...'$${}:-?+=AB_x1 \'"#\\\n\texport=ABC'];
const CASES = 5000;

function randomText(rand: () => number, max: number): string {
  let out = '';
  const length = Math.floor(rand() * max);
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return out;
}

describe('interpolation and .env fuzz', () => {
  it('substitute returns a string or throws a TemplateError, for any template', () => {
    const rand = prng(7);
    const lookup = (n: string) => (n === 'A' ? 'a' : n === 'B' ? '' : undefined);
    const crashes: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const template = randomText(rand, 24);
      try {
        expect(typeof substitute(template, lookup)).toBe('string');
      } catch (err) {
        if (!(err instanceof TemplateError)) crashes.push(`${JSON.stringify(template)}: ${err}`);
      }
    }
    expect(crashes).toEqual([]);
  });

  it('parseEnvFile returns variables or throws a located BerthError, for any file', () => {
    const rand = prng(11);
    const crashes: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const text = randomText(rand, 60);
      try {
        parseEnvFile(text, '.env', (n) => (n === 'A' ? 'a' : undefined));
      } catch (err) {
        if (!isBerthError(err, 'invalid') || !/^\.env:\d+:\d+$/.test(err.context.location ?? '')) {
          crashes.push(`${JSON.stringify(text)}: ${err}`);
        }
      }
    }
    expect(crashes).toEqual([]);
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: interpolation syntax is part of the fuzz alphabet
/**
 * Seeded mutations of stack-file text for the loader fuzz test: deterministic, so a failure is
 * reproduced from its seed.
 */

/** A small, fast, seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (text: string, rand: () => number) => string;

const pick = <T>(items: readonly T[], rand: () => number): T => items[Math.floor(rand() * items.length)]!;
const lines = (text: string) => text.split('\n');

const BYTES = [...'{}[]:,-#&*!|>\'"%@`\t\\$ \n\u0000\u00e9?=<'];

const SCALARS = [
  '~',
  'null',
  'true',
  '0',
  '-1',
  '1e400',
  '"x"',
  '[]',
  '{}',
  '[a, b]',
  '{a: 1}',
  "''",
  '!reset',
  '!override x',
  '*nope',
  '${X}',
  '$',
  '${X:?}',
  '0o777',
  '.inf',
];

const KEYS = [
  'services',
  'image',
  'ports',
  'volumes',
  'environment',
  'depends_on',
  'extends',
  'include',
  'networks',
  'build',
  'command',
  'healthcheck',
  'profiles',
  'deploy',
  'x-a',
  '<<',
  'name',
  'secrets',
  'configs',
  '__proto__',
  'constructor',
];

/** The kinds of damage a hand-edited stack file suffers. */
export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  flipByte: (text, rand) => {
    if (!text) return text;
    const i = Math.floor(rand() * text.length);
    return text.slice(0, i) + pick(BYTES, rand) + text.slice(i + 1);
  },
  dropLine: (text, rand) => {
    const ls = lines(text);
    ls.splice(Math.floor(rand() * ls.length), 1);
    return ls.join('\n');
  },
  duplicateLine: (text, rand) => {
    const ls = lines(text);
    const i = Math.floor(rand() * ls.length);
    ls.splice(i, 0, ls[i]!);
    return ls.join('\n');
  },
  renameKey: (text, rand) => {
    const ls = lines(text);
    const i = Math.floor(rand() * ls.length);
    ls[i] = ls[i]!.replace(/^(\s*-?\s*)[A-Za-z0-9_.<-]+:/, `$1${pick(KEYS, rand)}:`);
    return ls.join('\n');
  },
  swapType: (text, rand) => {
    const ls = lines(text);
    const i = Math.floor(rand() * ls.length);
    ls[i] = ls[i]!.replace(/:(\s+).*$/, `:$1${pick(SCALARS, rand)}`).replace(
      /^(\s*-\s+).*$/,
      `$1${pick(SCALARS, rand)}`,
    );
    return ls.join('\n');
  },
  reindent: (text, rand) => {
    const ls = lines(text);
    const i = Math.floor(rand() * ls.length);
    ls[i] = rand() < 0.5 ? ` ${ls[i]}` : ls[i]!.replace(/^ /, '');
    return ls.join('\n');
  },
  truncate: (text, rand) => text.slice(0, Math.floor(rand() * text.length)),
  swapLines: (text, rand) => {
    const ls = lines(text);
    const i = Math.floor(rand() * ls.length);
    const j = Math.floor(rand() * ls.length);
    [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    return ls.join('\n');
  },
};

/** `text` with one to three random mutations applied. */
export function mutate(text: string, rand: () => number): string {
  let out = text;
  const count = 1 + Math.floor(rand() * 3);
  for (let n = 0; n < count; n++) out = pick(Object.values(MUTATIONS), rand)(out, rand);
  return out;
}

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: interpolation syntax is part of the YAML under test
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlainYaml } from '../../../src/loader/plain-yaml/parse-plain-yaml.js';
import { mutate, prng } from '../fuzz/mutations.js';
import { describeTree, parityProblem } from './plain-yaml-parity.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Every YAML file of the examples and the fixture corpus. */
function corpus(): Array<[string, string]> {
  const files: Array<[string, string]> = [];
  for (const dir of ['examples', 'test/fixtures/stacks']) {
    for (const rel of readdirSync(join(ROOT, dir), { recursive: true }) as string[]) {
      if (/\.ya?ml$/.test(rel)) files.push([`${dir}/${rel}`, readFileSync(join(ROOT, dir, rel), 'utf8')]);
    }
  }
  return files.sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Snippets at the edges of the subset, each read the same by both paths or left to the library. */
const EDGES = [
  'a:\nb: \n  c:\n  d: [x, {e: }, ]\n  f:\n   - \n   - g: 1\n     h: "q"\n   -\n     - 1\n   - {}\n',
  'k: 0x1F\nl: -0\nm: .5\nn: 1e3\no: 0o17\np: 017\nq: 09\nr: .inf\ns: -.Inf\nt: .NaN\nu: +12\nv: 1.\nw: 1_000\n',
  'a:   \nb: # c\nc:\n\nd: 1\ne:\n  - \n  -   \n  - # x\n  -\nf: [ ]\ng: {a: , b:}\nh: [a, b, ]\n',
  'i: "x" # y\nj:  plain  # y\nk: a#b\nl: "a\\tb\\u00e9\\x41\\\\ \\"q\\""\nm: \'it\'\'s\'\n',
  'x:\n  # comment\n  y: 1\nz:\n- a\n- b: 1\n  c: [1, {d: e}]\n- - f\n  - g\n',
  'a: b: c\n',
  'a: - b\n',
  'a: "x" y\n',
  'a: [x\n',
  'a: {x: 1\n',
  'a: [x, , y]\n',
  'a: {x, y}\n',
  'a: 1\na: 2\n',
  '  a: 1\n b: 2\n',
  'a:\n    b: 1\n  c: 2\n',
  'a: b\n  c\n',
  '- a\n- b\n',
  'just text\n',
  'a: "x\n  y"\n',
  'a: |\n  x\n',
  'a: >-\n  x\n',
  'a: &x 1\nb: *x\n',
  'a: !reset 1\n',
  '<<: {a: 1}\n',
  '---\na: 1\n',
  'a: 1\n---\nb: 2\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: 1\n...\n',
  '? a\n: b\n',
  'a:\tb\n',
  '"a": 1\n\'b\' : 2\n"c":3\n',
  '1: a\n',
  'true: a\n',
  'null: a\n',
  '~: a\n',
  ': a\n',
  'a: [b: c]\n',
  'a: {b: [1, 2], "c": \'d\', e: {f: g}}\n',
  'a: [http://x, "y:z", 127.0.0.1:80:80]\n',
  'a: x:y\nb: :x\n',
  'a: -x\nb: --flag\nc: ?x\n',
  'a: {b:c}\n',
  'a: [#b]\n',
  'a: [b #c]\n',
  'a: "b"#c\n',
  'a: [b]c\n',
  '__proto__: {x: 1}\nconstructor: 2\n',
  'a: "\\N\\_\\L\\P\\e\\0\\/"\n',
  'a: "\\q"\n',
  'a: \'\'\nb: ""\n',
  'a:\n  - b\n  -\n    c: 1\n  - - d\n',
  '- a: 1\n  - b\n',
  'a:\n- b\nc:\n  - d\n',
  'a:\n  b\n',
  'a:\n  [1, 2]\n',
  'a:\n  "q"\nb: 1\n',
  'a: 1 # x: y\n',
  'a #b: c\n',
  'a b: c d\n',
  'a : b\n',
  'services:\n  web:\n    image: "nginx:${TAG:-1}"\n    command: ["sh", "-c", "echo $$HOME"]\n',
  'a: \u00e9t\u00e9\n',
  'a: \ufeffb\n',
  '\ufeffa: 1\n',
  'a: 1\r\nb: 2\r\n',
  'a: "\\ud800"\n',
];

describe('plain YAML fast path', () => {
  it.each(EDGES.map((text) => [JSON.stringify(text), text]))('%s', (_name, text) => {
    expect(parityProblem(text)).toBeUndefined();
  });

  it('reads the example and fixture files as the yaml library does, mutated or not', () => {
    const problems: string[] = [];
    let taken = 0;
    for (const [name, text] of corpus()) {
      if (parsePlainYaml(text, 'c.yaml')) taken++;
      const problem = parityProblem(text);
      if (problem) problems.push(`${name}: ${problem}`);
      const rand = prng(name.length * 7919 + text.length);
      for (let i = 0; i < 150 && problems.length < 5; i++) {
        const mutated = mutate(text, rand);
        const difference = parityProblem(mutated);
        if (difference) problems.push(`${name} mutated: ${difference}\n${mutated}`);
      }
    }
    expect(problems).toEqual([]);
    // The fast path is only worth having if ordinary stack files take it.
    expect(taken).toBeGreaterThan(20);
  });

  it('takes a large, ordinary stack file', () => {
    const lines = ['services:'];
    for (let i = 0; i < 50; i++) {
      lines.push(
        `  svc${i}:`,
        `    image: example/app:\${TAG:-1.${i}}`,
        `    ports: ["127.0.0.1:${10000 + i}:8080", "${20000 + i}:9090/udp"]`,
        '    environment:',
        `      INDEX: "${i}"`,
        `    networks: { front: { aliases: [alias${i}] }, back: null }`,
        '    healthcheck: { test: ["CMD", "true"], interval: 10s, retries: 3 }',
      );
    }
    const text = `${lines.join('\n')}\n`;
    const fast = parsePlainYaml(text, 'c.yaml');
    expect(fast).toBeDefined();
    expect(describeTree(fast)).toContain('/services/svc7/ports/1 string 20007:9090/udp @c.yaml:53:37');
    expect(parityProblem(text)).toBeUndefined();
  });
});

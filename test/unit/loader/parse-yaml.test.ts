import { describe, expect, it } from 'vitest';
import { isBerthError } from '../../../src/errors/kinds.js';
import { isMergeTag } from '../../../src/loader/merge-tags.js';
import { toPositionIndex } from '../../../src/loader/node-positions.js';
import { parseStackYaml } from '../../../src/loader/parse-yaml.js';
import { formatPosition } from '../../../src/loader/tree-path.js';

/** The error a parse throws, for assertions on its message and place. */
function parseError(text: string) {
  try {
    parseStackYaml(text, 'compose.yaml');
  } catch (err) {
    if (isBerthError(err)) return err;
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('parseStackYaml', () => {
  it('records value positions for scalars and key positions for collections', () => {
    const text = 'services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n';
    const tree = parseStackYaml(text, 'compose.yaml');
    expect(tree).toEqual({ services: { web: { image: 'nginx', ports: ['80:80'] } } });
    const index = toPositionIndex(tree);
    const at = (path: Array<string | number>) => formatPosition(index.get(path)!);
    expect(at([])).toBe('compose.yaml:1:1');
    expect(at(['services', 'web'])).toBe('compose.yaml:2:3');
    expect(at(['services', 'web', 'image'])).toBe('compose.yaml:3:12');
    expect(at(['services', 'web', 'ports'])).toBe('compose.yaml:4:5');
    expect(at(['services', 'web', 'ports', 0])).toBe('compose.yaml:5:9');
  });

  it('expands anchors, aliases and << merge keys (explicit keys win)', () => {
    const text = [
      'x-base: &base',
      '  image: busybox',
      '  restart: always',
      'x-env: &env {A: "1"}',
      'services:',
      '  a:',
      '    <<: [*base, *env]',
      '    restart: "no"',
      '  b: *base',
    ].join('\n');
    const tree = parseStackYaml(text, 'c.yaml') as { services: Record<string, unknown> };
    expect(tree.services.a).toEqual({ image: 'busybox', restart: 'no', A: '1' });
    expect(tree.services.b).toEqual({ image: 'busybox', restart: 'always' });
    expect(tree.services.a).not.toBe(tree.services.b);
  });

  it('keeps YAML 1.2 core types, plus YAML 1.1 C-style octals as Compose reads them', () => {
    const tree = parseStackYaml('a: yes\nb: 010\nc: 0x1f\nd: ~\ne: 1.5\nf: true\ng:\n', 'c.yaml');
    expect(tree).toEqual({ a: 'yes', b: 8, c: 31, d: null, e: 1.5, f: true, g: null });
  });

  it('wraps !reset and !override values in markers', () => {
    const tree = parseStackYaml('a: !reset []\nb: !override {x: 1}\nc: !reset\n', 'c.yaml');
    expect(isMergeTag(tree.a) && tree.a.tag).toBe('reset');
    expect(isMergeTag(tree.b) && tree.b.tag === 'override' && tree.b.value).toEqual({ x: 1 });
    expect(isMergeTag(tree.c)).toBe(true);
  });

  it('reads files with a byte-order mark and CRLF line ends', () => {
    expect(parseStackYaml('\uFEFFservices:\r\n  web:\r\n    image: nginx\r\n', 'c.yaml')).toEqual({
      services: { web: { image: 'nginx' } },
    });
  });

  it('treats an empty file as an empty mapping', () => {
    expect(parseStackYaml('', 'c.yaml')).toEqual({});
    expect(parseStackYaml('# only a comment\n', 'c.yaml')).toEqual({});
  });

  it('keeps a __proto__ key as data', () => {
    const tree = parseStackYaml('__proto__: {polluted: 1}\n', 'c.yaml');
    expect(Object.keys(tree)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['duplicate keys', 'services:\n  web: {}\n  web: {}\n', 'compose.yaml:3:3', /duplicate key/],
    ['tabs as indentation', 'services:\n\tweb: {}\n', 'compose.yaml:2:1', /tabs are not allowed/],
    ['several documents', 'a: 1\n---\nb: 2\n', 'compose.yaml:2:1', /one YAML document/],
    ['an unclosed flow sequence', 'a: [1,\n', 'compose.yaml:2:1', /invalid YAML/],
    ['an unclosed quote', "a: 'x\n", 'compose.yaml:2:1', /invalid YAML/],
    ['an unknown tag', 'a: !foo x\n', 'compose.yaml:1:4', /!foo.*!reset and !override/],
    ['a scalar document', 'just a string\n', 'compose.yaml:1:1', /top level .* must be a mapping/],
    ['a sequence document', '- a\n- b\n', 'compose.yaml:1:1', /top level .* must be a mapping/],
    ['a self-referencing alias', 'a: &x [*x]\n', 'compose.yaml:1:', /./],
    ['a sequence as key', '? [a]\n: b\n', 'compose.yaml:1:3', /keys must be plain strings/],
  ])('locates %s', (_name, text, location, message) => {
    const err = parseError(text);
    expect(err.kind).toBe('invalid');
    expect(err.context.location).toContain(location);
    expect(err.message).toMatch(message);
  });

  it('names the path of a duplicate key', () => {
    expect(parseError('services:\n  web:\n    image: a\n    image: b\n').context).toEqual({
      location: 'compose.yaml:4:5',
      path: 'services.web.image',
    });
  });

  it('names the place in the model of a YAML error', () => {
    expect(parseError("services:\n  web:\n    image: 'x\n").context).toEqual({
      location: 'compose.yaml:4:1',
      path: 'services.web.image',
    });
    expect(parseError('services:\n  web:\n    ports: [1,\n').context.path).toBe('services.web.ports');
  });

  it('stops alias bombs', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    expect(parseError(lines.join('\n')).message).toMatch(/too many nodes|alias/);
  });
});

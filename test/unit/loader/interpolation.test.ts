// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose interpolation syntax is the subject of these tests
import { describe, expect, it } from 'vitest';
import { isBerthError } from '../../../src/errors/kinds.js';
import { castForPath } from '../../../src/loader/interpolation/casts.js';
import { interpolateTree } from '../../../src/loader/interpolation/interpolate-tree.js';
import { substitute, TemplateError } from '../../../src/loader/interpolation/template.js';
import { parseStackYaml } from '../../../src/loader/parse-yaml.js';

const ENV: Record<string, string> = { SET: 'value', EMPTY: '', PORT: '8080', NESTED: 'inner' };
const lookup = (name: string) => ENV[name];

describe('substitute', () => {
  it.each([
    ['plain text', 'plain text'],
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['pre-${SET}-post', 'pre-value-post'],
    ['$SET$SET', 'valuevalue'],
    ['$SET.x', 'value.x'],
    ['$UNSET', ''],
    ['${UNSET}', ''],
    ['${UNSET:-default}', 'default'],
    ['${UNSET-default}', 'default'],
    ['${EMPTY:-default}', 'default'],
    ['${EMPTY-default}', ''],
    ['${SET:-default}', 'value'],
    ['${SET:+alt}', 'alt'],
    ['${SET+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${NESTED}}', 'inner'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['${UNSET:-$NESTED/x}', 'inner/x'],
    ['${UNSET:-a:b-c}', 'a:b-c'],
    ['${UNSET:-}', ''],
    ['$$', '$'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['a $$ b', 'a $ b'],
    ['${SET:?must be set}', 'value'],
    ['${EMPTY?must be set}', ''],
    ['${PORT}:80', '8080:80'],
    ['${UNSET:-{json}}', '{json}'],
  ])('%s -> %s', (template, expected) => {
    expect(substitute(template, lookup)).toBe(expected);
  });

  it.each([
    ['${UNSET:?must be set}', /required variable "UNSET" is missing a value: must be set/],
    ['${EMPTY:?empty is not enough}', /required variable "EMPTY".*empty is not enough/],
    ['${UNSET?}', /required variable "UNSET" is missing a value$/],
    ['${UNSET:?need ${SET}}', /need value/],
    ['${', /missing "}"/],
    ['${SET', /missing "}"/],
    ['${}', /invalid interpolation format/],
    ['${1abc}', /invalid interpolation format/],
    ['${SET:x}', /invalid interpolation format/],
    ['cost: 5$', /write "\$\$"/],
    ['$1', /write "\$\$"/],
  ])('%s fails', (template, message) => {
    expect(() => substitute(template, lookup)).toThrow(TemplateError);
    expect(() => substitute(template, lookup)).toThrow(message);
  });

  it('reports each unset variable it meets', () => {
    const unset: string[] = [];
    substitute('$A ${B} ${SET} ${C:-x}', lookup, (n) => unset.push(n));
    expect(unset).toEqual(['A', 'B']);
  });
});

describe('castForPath', () => {
  it.each([
    [['services', 'web', 'deploy', 'replicas'], '3', 3],
    [['services', 'web', 'ports', 0, 'target'], '80', 80],
    [['services', 'web', 'healthcheck', 'retries'], '5', 5],
    [['services', 'web', 'tty'], 'yes', true],
    [['services', 'web', 'stdin_open'], 'FALSE', false],
    [['services', 'web', 'cpus'], '0.5', 0.5],
    [['services', 'web', 'mem_limit'], '512m', '512m'],
    [['services', 'web', 'mem_limit'], '1024', 1024],
    [['services', 'web', 'ulimits', 'nofile', 'soft'], '1024', 1024],
    [['networks', 'back', 'external'], 'true', true],
    [['services', 'web', 'tty'], 'maybe', 'maybe'],
    [['services', 'web', 'deploy', 'replicas'], 'two', 'two'],
    [['services', 'web', 'image'], '3', '3'],
    [['services', 'web', 'environment', 'N'], '3', '3'],
  ])('%j: %j -> %j', (path, value, expected) => {
    expect(castForPath(path, value)).toEqual(expected);
  });
});

describe('interpolateTree', () => {
  const env: Record<string, string> = { TAG: '1.2', REPLICAS: '2', TTY: 'true' };
  const opts = { lookup: (n: string) => env[n] };

  it('interpolates values, not keys, and casts', () => {
    const tree = parseStackYaml(
      'services:\n  $TAG:\n    image: "app:${TAG}"\n    tty: $TTY\n    deploy: {replicas: "${REPLICAS}"}\n    command: ["echo", "$$HOME"]\n',
      'c.yaml',
    );
    expect(interpolateTree(tree, opts)).toEqual({
      services: {
        $TAG: { image: 'app:1.2', tty: true, deploy: { replicas: 2 }, command: ['echo', '$HOME'] },
      },
    });
  });

  it('locates a missing required variable', () => {
    const tree = parseStackYaml(
      'services:\n  db:\n    environment:\n      PW: ${DB_PW:?set DB_PW in .env}\n',
      'stack.yaml',
    );
    try {
      interpolateTree(tree, opts);
      expect.unreachable();
    } catch (err) {
      expect(isBerthError(err, 'invalid')).toBe(true);
      const e = err as import('../../../src/errors/kinds.js').BerthError;
      expect(e.message).toBe('required variable "DB_PW" is missing a value: set DB_PW in .env');
      expect(e.context).toEqual({ location: 'stack.yaml:4:11', path: 'services.db.environment.PW' });
    }
  });

  it('warns once per unset variable with its place', () => {
    const seen: string[] = [];
    const tree = parseStackYaml('a: $NOPE\nb: ${NOPE}\n', 'c.yaml');
    interpolateTree(tree, { lookup: () => undefined, onUnset: (n, at) => seen.push(`${n}@${at}`) });
    expect(seen).toEqual(['NOPE@c.yaml:1:4']);
  });
});

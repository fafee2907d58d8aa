import { describe, expect, it } from 'vitest';
import { mergeTrees } from '../../../src/loader/merge/merge-trees.js';
import { stripMergeTags } from '../../../src/loader/merge-tags.js';
import { toPositionIndex } from '../../../src/loader/node-positions.js';
import { parseStackYaml } from '../../../src/loader/parse-yaml.js';
import type { Mapping } from '../../../src/loader/plain-tree.js';
import { formatPosition } from '../../../src/loader/tree-path.js';

/** Merges override into base, both given as the `web` service of a stack. */
function mergeService(base: string, override: string): unknown {
  const wrap = (body: string) => `services:\n  web:\n${body.replace(/^/gm, '    ')}\n`;
  const a = stripMergeTags(parseStackYaml(wrap(base), 'base.yaml')) as Mapping;
  const b = parseStackYaml(wrap(override), 'override.yaml');
  return (mergeTrees(a, b).services as Mapping).web;
}

const yaml = (text: string) => (parseStackYaml(`v:\n${text.replace(/^/gm, '  ')}\n`, 'x.yaml') as Mapping).v;

describe('mergeTrees: (base, override, expected) triples', () => {
  it.each([
    ['scalars are replaced', 'image: a', 'image: b', 'image: b'],
    ['mappings merge', 'image: a\nuser: x', 'user: y\ntty: true', 'image: a\nuser: y\ntty: true'],
    ['command is replaced', 'command: [a, b, c]', 'command: [d]', 'command: [d]'],
    ['entrypoint is replaced', 'entrypoint: sh -c x', 'entrypoint: [bash]', 'entrypoint: [bash]'],
    [
      'healthcheck.test is replaced',
      'healthcheck: {test: [CMD, a], retries: 3}',
      'healthcheck: {test: [CMD, b]}',
      'healthcheck: {test: [CMD, b], retries: 3}',
    ],
    [
      'environment maps merge by key',
      'environment: {A: "1", B: "2"}',
      'environment: {B: "3", C: "4"}',
      'environment: {A: "1", B: "3", C: "4"}',
    ],
    [
      'environment lists merge by key',
      'environment: [A=1, B=2]',
      'environment: [B=3, C]',
      'environment: [A=1, B=3, C]',
    ],
    [
      'environment list meets mapping',
      'environment: [A=1, B=2]',
      'environment: {B: 3, D: null}',
      'environment: [A=1, B=3, D]',
    ],
    ['labels merge by key', 'labels: {a: "1"}', 'labels: [b=2, a=3]', 'labels: [a=3, b=2]'],
    [
      'ports are unique by ip/published/target/protocol',
      'ports: ["8080:80", "53:53/udp"]',
      'ports: ["8080:80", "9090:80", {target: 53, published: "53", protocol: udp, mode: host}]',
      'ports: ["8080:80", {target: 53, published: "53", protocol: udp, mode: host}, "9090:80"]',
    ],
    [
      'volumes are unique by target',
      'volumes: [./a:/data, cache:/cache]',
      'volumes: [{type: bind, source: ./b, target: /data/}, /tmp]',
      'volumes: [{type: bind, source: ./b, target: /data/}, cache:/cache, /tmp]',
    ],
    [
      'secrets are unique by target',
      'secrets: [a, {source: b, target: /etc/b}]',
      'secrets: [{source: a, mode: 0400}, {source: c, target: /etc/b}]',
      'secrets: [{source: a, mode: 0400}, {source: c, target: /etc/b}]',
    ],
    [
      'configs are unique by target',
      'configs: [a]',
      'configs: [{source: a, target: /a, uid: "1"}]',
      'configs: [{source: a, target: /a, uid: "1"}]',
    ],
    [
      'plain lists append without duplicates',
      'cap_add: [NET_ADMIN]\ndns: 1.1.1.1',
      'cap_add: [NET_ADMIN, SYS_TIME]\ndns: [8.8.8.8]',
      'cap_add: [NET_ADMIN, SYS_TIME]\ndns: [1.1.1.1, 8.8.8.8]',
    ],
    ['depends_on lists union', 'depends_on: [db]', 'depends_on: [cache, db]', 'depends_on: [db, cache]'],
    [
      'depends_on list meets mapping',
      'depends_on: [db]',
      'depends_on: {db: {condition: service_healthy}, cache: {condition: service_started}}',
      'depends_on: {db: {condition: service_healthy}, cache: {condition: service_started}}',
    ],
    [
      'networks list meets mapping',
      'networks: [front]',
      'networks: {back: {aliases: [b]}}',
      'networks: {front: null, back: {aliases: [b]}}',
    ],
    [
      'network aliases union',
      'networks: {front: {aliases: [a]}}',
      'networks: {front: {aliases: [a, b]}}',
      'networks: {front: {aliases: [a, b]}}',
    ],
    [
      'build string meets mapping',
      'build: ./app',
      'build: {dockerfile: Dockerfile.dev, args: [A=1]}',
      'build: {context: ./app, dockerfile: Dockerfile.dev, args: [A=1]}',
    ],
    [
      'logging with the same driver merges options',
      'logging: {driver: json-file, options: {max-size: 1m}}',
      'logging: {options: {max-file: "3"}}',
      'logging: {driver: json-file, options: {max-size: 1m, max-file: "3"}}',
    ],
    [
      'logging with another driver replaces',
      'logging: {driver: json-file, options: {max-size: 1m}}',
      'logging: {driver: syslog}',
      'logging: {driver: syslog}',
    ],
    [
      'ulimits number replaces mapping',
      'ulimits: {nofile: {soft: 1, hard: 2}}',
      'ulimits: {nofile: 5}',
      'ulimits: {nofile: 5}',
    ],
    [
      'ulimits mappings merge',
      'ulimits: {nofile: {soft: 1, hard: 2}}',
      'ulimits: {nofile: {hard: 3}}',
      'ulimits: {nofile: {soft: 1, hard: 3}}',
    ],
    ['x- extensions are replaced whole', 'x-meta: {a: 1, b: 2}', 'x-meta: {c: 3}', 'x-meta: {c: 3}'],
    ['!reset removes a value', 'image: a\nports: ["80:80"]', 'ports: !reset []', 'image: a'],
    [
      '!reset removes one key',
      'environment: {A: "1", B: "2"}',
      'environment: {A: !reset null}',
      'environment: {B: "2"}',
    ],
    [
      '!reset removes one key from a list',
      'environment: [A=1, B=2]',
      'environment: {A: !reset null, C: "3"}',
      'environment: [B=2, C=3]',
    ],
    [
      '!override replaces a mapping',
      'environment: {A: "1"}',
      'environment: !override {B: "2"}',
      'environment: {B: "2"}',
    ],
    [
      '!override replaces a sequence',
      'ports: ["80:80", "443:443"]',
      'ports: !override ["8080:80"]',
      'ports: ["8080:80"]',
    ],
    [
      'unmerged new keys are stripped of tags',
      'image: a',
      'volumes: [!reset x, /y]',
      'image: a\nvolumes: [/y]',
    ],
  ])('%s', (_name, base, override, expected) => {
    expect(mergeService(base, override)).toEqual(yaml(expected));
  });

  it('top-level sections merge', () => {
    const a = stripMergeTags(
      parseStackYaml('services: {a: {image: x}}\nvolumes: {data: {}}\n', 'a.yaml'),
    ) as Mapping;
    const b = parseStackYaml('services: {b: {image: y}}\nnetworks: {front: {}}\n', 'b.yaml');
    expect(mergeTrees(a, b)).toEqual({
      services: { a: { image: 'x' }, b: { image: 'y' } },
      volumes: { data: {} },
      networks: { front: {} },
    });
  });

  it('keeps each value pointing into the file it came from', () => {
    const a = stripMergeTags(
      parseStackYaml(
        'services:\n  web:\n    image: a\n    ports:\n      - "80:80"\n      - "81:81"\n',
        'a.yaml',
      ),
    ) as Mapping;
    const b = parseStackYaml('services:\n  web:\n    ports:\n      - "82:82"\n      - "80:80"\n', 'b.yaml');
    const merged = mergeTrees(a, b);
    const index = toPositionIndex(merged);
    const at = (...path: Array<string | number>) => formatPosition(index.get(path)!);
    expect(at('services', 'web', 'image')).toBe('a.yaml:3:12');
    expect(at('services', 'web', 'ports', 0)).toBe('b.yaml:5:9');
    expect(at('services', 'web', 'ports', 1)).toBe('a.yaml:6:9');
    expect(at('services', 'web', 'ports', 2)).toBe('b.yaml:4:9');
  });

  it('does not change its inputs', () => {
    const a = stripMergeTags(parseStackYaml('services: {web: {environment: {A: "1"}}}', 'a.yaml')) as Mapping;
    const before = structuredClone(a);
    mergeTrees(a, parseStackYaml('services: {web: {environment: {B: "2"}}}', 'b.yaml'));
    expect(a).toEqual(before);
  });
});

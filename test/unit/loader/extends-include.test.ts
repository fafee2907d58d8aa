// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose interpolation syntax is the subject of these tests
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTree } from '../../../src/loader/load-tree.js';
import type { LoadOptions } from '../../../src/loader/options.js';
import { formatPosition } from '../../../src/loader/tree-path.js';
import { rejection, stackDir } from './stack-dir.js';

const load = (cwd: string, options: LoadOptions = {}) => loadTree({ cwd, env: {}, ...options });
const services = async (cwd: string, options: LoadOptions = {}) => (await load(cwd, options)).tree.services;

describe('extends', () => {
  it('extends a service of the same file, with merge rules and !reset', async () => {
    const root = stackDir({
      'compose.yaml': [
        'services:',
        '  base:',
        '    image: busybox',
        '    command: [sleep, "1"]',
        '    environment: {A: "1", B: "2"}',
        '    ports: ["80:80"]',
        '  web:',
        '    extends: base',
        '    command: [sleep, "2"]',
        '    environment: {B: "3"}',
        '    ports: !reset []',
        '  worker:',
        '    extends: {service: web}',
        '    environment: [C=4]',
      ].join('\n'),
    });
    expect(await services(root)).toEqual({
      base: { image: 'busybox', command: ['sleep', '1'], environment: { A: '1', B: '2' }, ports: ['80:80'] },
      web: { image: 'busybox', command: ['sleep', '2'], environment: { A: '1', B: '3' } },
      worker: { image: 'busybox', command: ['sleep', '2'], environment: ['A=1', 'B=3', 'C=4'] },
    });
  });

  it('extends from another directory, rebasing relative paths, with positions in that file', async () => {
    const root = stackDir({
      'app/compose.yaml':
        'services:\n  web:\n    extends: {file: ../common/base.yaml, service: svc}\n    image: mine\n',
      'common/base.yaml': [
        'services:',
        '  svc:',
        '    extends: {file: ./deeper/root.yaml, service: root}',
        '    build: ./ctx',
        '    env_file: [./svc.env, {path: ./opt.env, required: false}]',
        '    volumes: [./data:/data, named:/named, {type: bind, source: ../x, target: /x}]',
      ].join('\n'),
      'common/deeper/root.yaml': 'services:\n  root:\n    image: base\n    labels: {tier: root}\n',
    });
    const { tree, positions } = await load(join(root, 'app'));
    expect(tree.services).toEqual({
      web: {
        image: 'mine',
        labels: { tier: 'root' },
        build: '../common/ctx',
        env_file: ['../common/svc.env', { path: '../common/opt.env', required: false }],
        volumes: ['../common/data:/data', 'named:/named', { type: 'bind', source: '../x', target: '/x' }],
      },
    });
    expect(formatPosition(positions.get(['services', 'web', 'labels', 'tier'])!)).toBe(
      join(root, 'common/deeper/root.yaml:4:20'),
    );
    expect(formatPosition(positions.get(['services', 'web', 'image'])!)).toBe('compose.yaml:4:12');
  });

  it('reports an extends cycle with its chain', async () => {
    const root = stackDir({
      'compose.yaml': 'services:\n  a: {extends: b, image: x}\n  b: {extends: c}\n  c: {extends: a}\n',
    });
    const err = await rejection(load(root));
    expect(err.message).toBe('extends cycle: a -> b -> c -> a');
    expect(err.context.location).toMatch(/^compose\.yaml:4:/);
  });

  it.each([
    [
      'a missing base service',
      'services:\n  a: {extends: nope}\n',
      /service "nope" is not defined/,
      'compose.yaml:2:16',
    ],
    [
      'a malformed extends',
      'services:\n  a: {extends: [x]}\n',
      /must be a service name or a mapping/,
      'compose.yaml:2:7',
    ],
    [
      'an unknown extends key',
      'services:\n  a: {extends: {service: b, files: x}}\n  b: {}\n',
      /"files" is not allowed/,
      'compose.yaml:2:7',
    ],
    [
      'a missing extends file',
      'services:\n  a: {extends: {file: gone.yaml, service: b}}\n',
      /file not found/,
      'compose.yaml:2:7',
    ],
  ])('locates %s', async (_name, text, message, location) => {
    const err = await rejection(load(stackDir({ 'compose.yaml': text })));
    expect(err.message).toMatch(message);
    expect(err.context.location).toBe(location);
  });
});

describe('include', () => {
  it('imports resources of included stacks, with their own .env and rebased paths', async () => {
    const root = stackDir({
      'compose.yaml':
        'include:\n  - db/compose.yaml\n  - path: [cache/a.yaml, cache/b.yaml]\n    env_file: cache/vars.env\nservices:\n  web: {image: web, depends_on: [db, cache]}\n',
      'db/compose.yaml':
        'services:\n  db: {image: "postgres:${PG}", volumes: [./init:/docker-entrypoint-initdb.d]}\nvolumes: {pgdata: {}}\n',
      'db/.env': 'PG=16\n',
      'cache/a.yaml': 'services:\n  cache: {image: "redis:${REDIS}"}\n',
      'cache/b.yaml': 'services:\n  cache: {command: [redis-server, --save, ""]}\n',
      'cache/vars.env': 'REDIS=7\n',
    });
    const { tree } = await load(root);
    expect(tree).toEqual({
      services: {
        web: { image: 'web', depends_on: ['db', 'cache'] },
        db: { image: 'postgres:16', volumes: ['./db/init:/docker-entrypoint-initdb.d'] },
        cache: { image: 'redis:7', command: ['redis-server', '--save', ''] },
      },
      volumes: { pgdata: {} },
    });
  });

  it("lets the including stack's variables win over the included .env", async () => {
    const root = stackDir({
      'compose.yaml': 'include: [sub/compose.yaml]\n',
      '.env': 'TAG=outer\n',
      'sub/compose.yaml': 'services: {s: {image: "x:${TAG}"}}\n',
      'sub/.env': 'TAG=inner\n',
    });
    expect(await services(root)).toEqual({ s: { image: 'x:outer' } });
  });

  it('allows an identical definition on both sides, rejects a different one', async () => {
    const same = stackDir({
      'compose.yaml': 'include: [sub.yaml]\nnetworks: {n: {driver: bridge}}\nservices: {}\n',
      'sub.yaml': 'networks: {n: {driver: bridge}}\n',
    });
    expect((await load(same)).tree.networks).toEqual({ n: { driver: 'bridge' } });
    const different = stackDir({
      'compose.yaml': 'include:\n  - sub.yaml\nservices: {s: {image: a}}\n',
      'sub.yaml': 'services: {s: {image: b}}\n',
    });
    const err = await rejection(load(different));
    expect(err.message).toMatch(/services\.s is defined both here and in included .*sub\.yaml/);
    expect(err.context.location).toBe('compose.yaml:2:5');
  });

  it('reports an include cycle with its chain', async () => {
    const root = stackDir({
      'compose.yaml': 'include: [a/x.yaml]\n',
      'a/x.yaml': 'include: [../b/y.yaml]\n',
      'b/y.yaml': 'include: [../a/x.yaml]\n',
    });
    const err = await rejection(load(root));
    expect(err.message).toBe('include cycle: a/x.yaml -> b/y.yaml -> a/x.yaml');
    expect(err.context.location).toBe('b/y.yaml:1:11');
  });

  it.each([
    ['a scalar include', 'include: x.yaml\n', /include.*must be a sequence|must be a sequence/],
    ['an entry without path', 'include: [{env_file: a.env}]\n', /"path" is required/],
    ['an unknown key', 'include: [{path: a.yaml, project: x}]\n', /"project" is not allowed/],
    ['a missing file', 'include: [gone.yaml]\n', /file not found/],
  ])('rejects %s', async (_name, text, message) => {
    const err = await rejection(load(stackDir({ 'compose.yaml': text })));
    expect(err.message).toMatch(message);
    expect(err.context.location).toMatch(/^compose\.yaml:1:/);
  });
});

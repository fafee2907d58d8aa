import { describe, expect, it } from 'vitest';
import { isBerthError } from '../../../src/errors/kinds.js';
import { buildDependencyGraph } from '../../../src/graph/dependency-graph.js';
import { normalizeProject } from '../../../src/loader/normalize/index.js';
import { PositionIndex } from '../../../src/loader/tree-path.js';
import { validateReferences } from '../../../src/loader/validate-references.js';
import { validateSchema } from '../../../src/loader/validate-schema.js';
import { projectToCompose } from '../../../src/model/to-compose.js';
import { context } from './helpers.js';

// Random services, built from the values users actually write in each attribute and from
// values of the wrong shape, go through stages 5 to 7: each tree either passes every stage or
// fails with a BerthError; nothing else is thrown. Seeded, so a failure replays.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SCALARS: unknown[] = [
  '',
  'x',
  '0',
  '-1',
  '1m30s',
  '512m',
  '8080:80',
  '[::1]:80:80/udp',
  'a=b',
  'service:b',
  0,
  3,
  -1,
  1.5,
  true,
  null,
];
/** Per attribute: values that are fine, then values that are not. */
const ATTRIBUTES: Record<string, [unknown[], unknown[]]> = {
  ports: [
    [['80'], ['1-2:3-4'], [{ target: 80, published: '8-9' }], ['[::1]:80:80/udp']],
    [['x:y:z:w'], [70000], [{ target: 'a' }]],
  ],
  volumes: [
    [['./a:/b:ro'], ['v:/d:nocopy'], ['/anon'], [{ type: 'tmpfs', target: '/t', tmpfs: { size: '1m' } }]],
    [['a:b'], [{ type: 'tmpfs', target: '/t', tmpfs: { size: 'big' } }], [{ type: 'bind', target: '/x' }]],
  ],
  environment: [[['A=1', 'B'], { A: 1, B: null }], [['=x']]],
  depends_on: [
    [['b'], { b: { condition: 'service_healthy', required: false } }],
    [['a'], ['zzz']],
  ],
  networks: [
    [['default'], { default: { aliases: ['x'] } }],
    [{ default: { priority: 'high' } }, ['nope']],
  ],
  healthcheck: [
    [
      { test: 'true', interval: '1m' },
      { disable: true, test: ['NONE'] },
    ],
    [{ test: ['CMD'], timeout: 'soon' }, { test: ['curl'] }],
  ],
  command: [['sh -c "a b"', ['a'], null], ['echo "unterminated']],
  build: [['.', { context: 'https://example.com/x.git', args: ['A'] }], [{ shm_size: 'huge' }]],
  deploy: [
    [{ replicas: 2 }, { resources: { limits: { memory: '1g', cpus: '0.5' } } }],
    [{ replicas: 'many' }, { resources: { limits: { memory: 'lots' } } }],
  ],
  scale: [[0, 2, '3'], ['x']],
  ulimits: [[{ nofile: 5 }, { nofile: { soft: 1, hard: 2 } }], [{ nofile: { soft: 'a', hard: 1 } }]],
  restart: [['always', 'on-failure:2'], ['sometimes']],
  secrets: [
    [['s'], [{ source: 's', mode: '0400' }]],
    [[{ source: 's', mode: 'rw' }], ['nope']],
  ],
  links: [[['b'], ['b:alias']], [['a']]],
  network_mode: [
    ['host', 'service:b'],
    ['service:a', 'service:zzz'],
  ],
  volumes_from: [[['b:ro'], ['container:c']], [['zzz']]],
  mem_limit: [['1g', -1], ['x']],
  stop_grace_period: [['10s'], ['ten']],
  extra_hosts: [[['a:1.2.3.4'], { a: ['1.1.1.1', '::1'] }], [[1]]],
  container_name: [['same'], []],
  profiles: [[['p'], ['q']], []],
};

function randomService(rand: () => number): Record<string, unknown> {
  const service: Record<string, unknown> = { image: 'x' };
  for (const [key, [good, bad]] of Object.entries(ATTRIBUTES)) {
    const r = rand();
    if (r < 0.6) continue;
    const pool = r < 0.96 ? good : r < 0.98 && bad.length > 0 ? bad : SCALARS;
    service[key] = pool[Math.floor(rand() * pool.length)];
  }
  return service;
}

describe('stages 5 to 7 on random services', () => {
  it('either pass or fail with a BerthError, for 2000 stacks', () => {
    const rand = prng(20261122);
    let passed = 0;
    for (let i = 0; i < 2000; i++) {
      const tree = {
        services: { a: randomService(rand), b: randomService(rand) },
        volumes: { v: {} },
        secrets: { s: { file: './s' } },
      };
      try {
        const positions = new PositionIndex();
        validateSchema(tree, positions);
        validateReferences(tree, positions);
        const project = normalizeProject(tree, context({ profiles: rand() < 0.5 ? ['p'] : [] }));
        buildDependencyGraph(project, positions);
        projectToCompose(project);
        passed++;
      } catch (err) {
        if (!isBerthError(err))
          throw new Error(`stack ${i} crashed: ${JSON.stringify(tree)}`, { cause: err });
      }
    }
    // Enough of them are valid that normalization and the graph really run.
    expect(passed).toBeGreaterThan(50);
  });
});

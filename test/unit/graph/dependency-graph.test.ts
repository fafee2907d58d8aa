import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { BerthError } from '../../../src/errors/kinds.js';
import { buildDependencyGraph } from '../../../src/graph/dependency-graph.js';
import { PositionIndex } from '../../../src/loader/tree-path.js';
import { load } from '../normalize/helpers.js';

const graphOf = (yaml: string, positions?: PositionIndex) => buildDependencyGraph(load(yaml), positions);

const shop = `
services:
  proxy: { image: x, depends_on: { web: { condition: service_healthy, restart: true } } }
  web: { image: x, depends_on: [db, cache], links: ["db:database"] }
  worker: { image: x, depends_on: { migrate: { condition: service_completed_successfully } }, volumes_from: ["web:ro"] }
  migrate: { image: x, depends_on: [db] }
  sidecar: { image: x, network_mode: "service:web", ipc: "service:web" }
  db: { image: x }
  cache: { image: x }
  lonely: { image: x }
`;

describe('buildDependencyGraph', () => {
  it('orders services so every one comes after what it needs', () => {
    const g = graphOf(shop);
    const order = g.order();
    for (const e of g.edges) expect(order.indexOf(e.to)).toBeLessThan(order.indexOf(e.from));
    expect(g.reverseOrder()).toEqual([...order].reverse());
  });

  it('groups services into levels that can start in parallel', () => {
    expect(graphOf(shop).levels()).toEqual([
      ['cache', 'db', 'lonely'],
      ['migrate', 'web'],
      ['proxy', 'sidecar', 'worker'],
    ]);
  });

  it('merges every relation into one labelled edge per pair', () => {
    const g = graphOf(shop);
    expect(g.dependenciesOf('web')).toEqual([
      {
        from: 'web',
        to: 'cache',
        kinds: ['depends_on'],
        condition: 'service_started',
        required: true,
        restart: false,
      },
      {
        from: 'web',
        to: 'db',
        kinds: ['depends_on', 'links'],
        condition: 'service_started',
        required: true,
        restart: false,
      },
    ]);
    expect(g.dependenciesOf('sidecar')).toEqual([
      {
        from: 'sidecar',
        to: 'web',
        kinds: ['network_mode', 'ipc'],
        condition: 'service_started',
        required: true,
        restart: false,
      },
    ]);
    expect(g.dependenciesOf('proxy')[0]).toMatchObject({ condition: 'service_healthy', restart: true });
    expect(g.dependentsOf('db').map((e) => e.from)).toEqual(['migrate', 'web']);
  });

  it('names a cycle in a stable order, with the place of its first edge', () => {
    const yaml = `
services:
  c: { image: x, depends_on: [a] }
  b: { image: x, depends_on: [c] }
  a: { image: x, depends_on: [b] }
`;
    const positions = new PositionIndex();
    positions.set(['services', 'a', 'depends_on', 'b'], { file: 'compose.yaml', line: 5, col: 31 });
    try {
      graphOf(yaml, positions);
      expect.unreachable();
    } catch (err) {
      const e = err as BerthError;
      expect(e.kind).toBe('invalid');
      expect(e.message).toBe('dependency cycle: a -> b -> c -> a');
      expect(e.context).toEqual({ location: 'compose.yaml:5:31', path: 'services.a.depends_on.b' });
    }
    expect(() => graphOf('services: { solo: { image: x, links: [solo] } }')).toThrow(
      'dependency cycle: solo -> solo',
    );
  });

  it('skips an optional dependency on an inactive service', () => {
    const g = graphOf(`
services:
  web: { image: x, depends_on: { dbg: { condition: service_started, required: false } } }
  dbg: { image: x, profiles: [debug] }
`);
    expect(g.services).toEqual(['web']);
    expect(g.edges).toEqual([]);
  });

  it('rejects a required dependency on a service that is not active', () => {
    const project = load('services: { web: { image: x }, db: { image: x, profiles: [db] } }');
    project.services.web.depends_on = {
      db: { condition: 'service_started', required: true, restart: false },
    };
    expect(() => buildDependencyGraph(project)).toThrow(
      'service "web" needs service "db", which is disabled by its profiles',
    );
  });

  it('is deterministic whatever the order of the file', () => {
    const reordered = parse(shop);
    reordered.services = Object.fromEntries(Object.entries(reordered.services).reverse());
    const a = graphOf(shop);
    const b = buildDependencyGraph(load(JSON.stringify(reordered)));
    expect(b.order()).toEqual(a.order());
    expect(b.edges).toEqual(a.edges);
  });
});

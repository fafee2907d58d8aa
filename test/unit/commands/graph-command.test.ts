import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Graph from '../../../src/cli/commands/graph.js';
import { runCommand, stack } from './run-command.js';

const compose = `
services:
  proxy: { image: x, depends_on: { web: { condition: service_healthy, restart: true } } }
  web: { image: x, depends_on: [db], links: [cache] }
  db: { image: x }
  cache: { image: x }
  metrics: { image: x, network_mode: "service:web", depends_on: { tracer: { condition: service_started, required: false } } }
`;

const graph = (dir: string, ...flags: string[]) =>
  runCommand(Graph, ['-f', join(dir, 'compose.yaml'), '-p', 'demo', ...flags]);

describe('berth graph', () => {
  it('prints levels and labelled edges as text', async () => {
    const { stdout, exitCode } = await graph(stack(compose));
    expect(exitCode).toBe(0);
    expect(stdout).toBe(
      [
        'level 0: cache db',
        'level 1: web',
        'level 2: metrics proxy',
        '',
        'metrics -> web (service_started, network_mode)',
        'proxy -> web (service_healthy, restart)',
        'web -> cache (service_started, links)',
        'web -> db (service_started)',
        '',
      ].join('\n'),
    );
  });

  it('prints Graphviz DOT', async () => {
    const { stdout } = await graph(stack(compose), '--format', 'dot');
    expect(stdout).toContain('digraph "demo" {');
    expect(stdout).toContain('  "proxy" -> "web" [label="service_healthy, restart"];');
    expect(stdout.trimEnd().endsWith('}')).toBe(true);
  });

  it('prints a Mermaid flowchart', async () => {
    const { stdout } = await graph(stack(compose), '--format', 'mermaid');
    expect(stdout.split('\n').slice(0, 2)).toEqual(['flowchart LR', '  s0["cache"]']);
    expect(stdout).toContain('  s3 -->|"service_healthy, restart"| s4');
  });

  it('prints JSON for tools', async () => {
    const { stdout } = await graph(stack(compose), '--format', 'json');
    const doc = JSON.parse(stdout);
    expect(doc.levels).toEqual([['cache', 'db'], ['web'], ['metrics', 'proxy']]);
    expect(doc.order.indexOf('db')).toBeLessThan(doc.order.indexOf('web'));
    expect(doc.edges[1]).toEqual({
      from: 'proxy',
      to: 'web',
      kinds: ['depends_on'],
      condition: 'service_healthy',
      required: true,
      restart: true,
    });
  });

  it('reports a cycle with its place', async () => {
    const dir = stack(
      'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    links: [a]\n',
    );
    const { stderr, exitCode } = await graph(dir);
    expect(exitCode).toBe(1);
    expect(stderr.replaceAll(`${dir}/`, '')).toBe(
      'compose.yaml:4:18 services.a.depends_on.b: dependency cycle: a -> b -> a\n',
    );
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderProject } from '../../src/cli/render/config-format.js';
import { buildDependencyGraph } from '../../src/graph/dependency-graph.js';
import { loadProject } from '../../src/loader/load-project.js';
import { PositionIndex } from '../../src/loader/tree-path.js';
import { validateSchema } from '../../src/loader/validate-schema.js';

// Every example in examples/ must load as it would for a user: discovery in its directory, no
// environment, every profile active so that no service escapes the checks.
const examples = readdirSync('examples', { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('examples', () => {
  it('exist', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)('%s loads, orders its services and renders valid Compose', async (name) => {
    const dir = join(process.cwd(), 'examples', name);
    const project = await loadProject({ cwd: dir, env: {}, profiles: ['*'], stdin: async () => '' });
    expect(Object.keys(project.services).length).toBeGreaterThan(0);
    expect(project.disabled_services).toEqual({});
    const graph = buildDependencyGraph(project);
    expect(graph.order().sort()).toEqual(Object.keys(project.services).sort());
    expect(() => validateSchema(parse(renderProject(project, 'yaml')), new PositionIndex())).not.toThrow();
  });
});

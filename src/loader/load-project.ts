import { buildDependencyGraph } from '../graph/dependency-graph.js';
import type { Project } from '../model/project.js';
import { type LoadedTree, loadTree } from './load-tree.js';
import { normalizeProject } from './normalize/index.js';
import type { LoadOptions } from './options.js';
import { validateReferences } from './validate-references.js';
import { validateSchema } from './validate-schema.js';

export { type LoadedTree, loadTree };

/**
 * Loads a stack the way `docker compose` does and returns the typed, normalized model: discover
 * and read the files, parse, interpolate, include/extends/merge (stages 1–4, {@link loadTree}),
 * validate against the schema and cross-references (5), normalize (6), and check the dependency
 * graph (7) so that a cycle fails the load. Every failure is a located BerthError.
 */
export async function loadProject(options: LoadOptions = {}): Promise<Project> {
  const { tree, positions, context } = await loadTree(options);
  validateSchema(tree, positions);
  validateReferences(tree, positions);
  const project = normalizeProject(tree, context);
  buildDependencyGraph(project, positions);
  return project;
}

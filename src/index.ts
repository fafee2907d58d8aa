/**
 * berth as a library. The CLI is a thin layer over these exports.
 */

export * from './client/index.js';
export { BerthError, type ErrorContext, type ErrorKind, isBerthError } from './errors/kinds.js';
export {
  buildDependencyGraph,
  type DependencyEdge,
  type DependencyGraph,
} from './graph/dependency-graph.js';
export type { DependencyKind } from './graph/service-dependencies.js';
export { type LoadedTree, loadProject, loadTree } from './loader/load-project.js';
export type { LoadOptions } from './loader/options.js';
export type * from './model/project.js';
export { projectToCompose } from './model/to-compose.js';

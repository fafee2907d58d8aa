/**
 * berth as a library. The CLI is a thin layer over these exports.
 */

export * from './client/index.js';
export { type ConnectOptions, connectEngine } from './engine/connect.js';
export { type EngineStatus, engineStatus } from './engine/engine-status.js';
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
// `Project` is the class below (the library entry point); the loaded model's type is `ProjectModel`.
export type { Project as ProjectModel } from './model/project.js';
export { projectToCompose } from './model/to-compose.js';
export { type Confirm, isYes, lineConfirm } from './project/confirm.js';
export type { LogLine, LogsOptions } from './project/logs.js';
export type {
  CallOptions,
  ContainerInfo,
  ProjectDownOptions,
  PsOptions,
  UpOptions,
} from './project/options.js';
export { Project, type ProjectEngineOptions, selectServices } from './project/project.js';
export type { RemoveOptions, RemoveResult } from './project/remove.js';
export type { UpResult } from './project/up.js';
export type { EnginePort } from './reconcile/engine-port.js';
export { observe } from './reconcile/observe.js';
export type { ObservedState } from './reconcile/observed-state.js';
export type { DownOptions, ReconcileOptions } from './reconcile/options.js';
export {
  isEmptyPlan,
  type Operation,
  OperationType,
  type Plan,
  type PlanNode,
  renderPlan,
} from './reconcile/plan.js';
export type { ProgressEvent, ProgressListener } from './reconcile/progress-event.js';
export { reconcile } from './reconcile/reconcile.js';
export { reconcileDown } from './reconcile/reconcile-down.js';

import { buildDependencyGraph, type DependencyGraph } from '../graph/dependency-graph.js';
import type { Project, Service } from '../model/project.js';
import { containerNumber } from './container-labels.js';
import { Label } from './labels.js';
import type { ObservedContainer, ObservedState } from './observed-state.js';
import type { ReconcileOptions } from './options.js';
import { type Plan, PlanBuilder } from './plan.js';
import { reconcileService, removeContainer } from './reconcile-containers.js';
import type { ReconcileRun } from './reconcile-context.js';
import { reconcileImages, reconcileNetworks, reconcileVolumes } from './reconcile-resources.js';

/**
 * Compares the desired project with an observed snapshot and returns the plan that converges
 * them. Pure: no engine call, no clock, no randomness; equal inputs give equal plans.
 *
 * Steps, in order: images → networks → volumes → containers (dependency order) → orphans.
 */
export function reconcile(desired: Project, observed: ObservedState, options: ReconcileOptions = {}): Plan {
  const run = newRun(desired, observed, options);
  const graph = buildDependencyGraph(desired);
  const services = servicesInScope(desired, options, graph);
  reconcileImages(run, services);
  reconcileNetworks(run, services);
  reconcileVolumes(run);
  const scope = new Set(services.map((s) => s.name));
  for (const name of graph.order()) {
    if (scope.has(name)) reconcileService(run, desired.services[name]);
    else recordUntouched(run, name);
  }
  reconcileOrphans(run);
  return run.plan.build();
}

/** The services `up` acts on: the selected ones (and their dependencies unless `--no-deps`), or all. */
export function servicesInScope(
  project: Project,
  options: ReconcileOptions,
  graph: DependencyGraph = buildDependencyGraph(project),
): Service[] {
  const selected = options.services?.length ? options.services : Object.keys(project.services);
  const names = options.noDeps ? new Set(selected) : withDependencies(graph, selected);
  return [...names]
    .filter((n) => project.services[n])
    .sort()
    .map((n) => project.services[n]);
}

function newRun(project: Project, observed: ObservedState, options: ReconcileOptions): ReconcileRun {
  const byService = new Map<string, ObservedContainer[]>();
  const sorted = [...observed.containers].sort(
    (a, b) => containerNumber(a) - containerNumber(b) || cmp(a.id, b.id),
  );
  for (const c of sorted) {
    if (c.labels[Label.oneoff] === 'True') continue;
    const service = c.labels[Label.service] ?? '';
    byService.set(service, [...(byService.get(service) ?? []), c]);
  }
  return {
    project,
    observed,
    options,
    plan: new PlanBuilder(),
    imageNodes: new Map(),
    networkNodes: new Map(),
    volumeNodes: new Map(),
    networkRemovals: new Map(),
    outcomes: new Map(),
    byService,
  };
}

/** `names` plus, transitively, every service they need. */
export function withDependencies(graph: DependencyGraph, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  const add = (name: string): void => {
    if (out.has(name)) return;
    out.add(name);
    for (const edge of graph.dependenciesOf(name)) add(edge.to);
  };
  for (const name of names) add(name);
  return out;
}

/** A service outside the selection: its containers are dependencies as they are. */
function recordUntouched(run: ReconcileRun, name: string): void {
  const containers = (run.byService.get(name) ?? []).map((c) => ({
    name: c.name,
    number: containerNumber(c),
    target: { id: c.id },
  }));
  run.outcomes.set(name, { containers, recreated: false, oldStopNodes: [], waits: new Map() });
}

/** Containers of services the project no longer defines: removed with `--remove-orphans`, else reported. */
function reconcileOrphans(run: ReconcileRun): void {
  const known = new Set([
    ...Object.keys(run.project.services),
    ...Object.keys(run.project.disabled_services),
  ]);
  const orphans = [...run.byService.entries()]
    .filter(([service]) => !known.has(service))
    .flatMap(([, cs]) => cs)
    .sort((a, b) => cmp(a.name, b.name));
  if (!orphans.length) return;
  if (run.options.removeOrphans) {
    for (const c of orphans) removeContainer(run, c, 'orphan');
    return;
  }
  run.plan.warnings.push(
    `Found orphan containers (${orphans.map((c) => c.name).join(', ')}) for this project. ` +
      'If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.',
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

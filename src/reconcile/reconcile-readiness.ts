import type { DependsOn, Service } from '../model/project.js';
import { OperationType } from './plan.js';
import type { PlannedContainer, ReconcileRun, ServiceOutcome } from './reconcile-context.js';

/**
 * The nodes a container of `service` must wait for before it starts: for each `depends_on`
 * entry, every container of the dependency started (service_started), healthy
 * (service_healthy) or exited 0 (service_completed_successfully). Wait nodes are shared between
 * dependents. With `--no-deps`, dependencies outside the selection are not waited for.
 */
export function readinessNodes(run: ReconcileRun, service: Service): number[] {
  const nodes: number[] = [];
  for (const [name, dep] of Object.entries(service.depends_on).sort(([a], [b]) => a.localeCompare(b))) {
    const outcome = run.outcomes.get(name);
    if (!outcome || (run.options.noDeps && !inScope(run, name))) continue;
    for (const c of outcome.containers) {
      const node = readinessOf(run, name, dep, outcome, c);
      if (node !== undefined) nodes.push(node);
    }
  }
  return nodes;
}

function inScope(run: ReconcileRun, name: string): boolean {
  return !run.options.services?.length || run.options.services.includes(name);
}

function readinessOf(
  run: ReconcileRun,
  name: string,
  dep: DependsOn,
  outcome: ServiceOutcome,
  c: PlannedContainer,
): number | undefined {
  const after = c.startNode ?? c.readyNode;
  if (dep.condition === 'service_started') return after;
  const key = `${dep.condition}:${c.name}`;
  const known = outcome.waits.get(key);
  if (known !== undefined) return known;
  const resource = `service:${name}:${c.number}`;
  const node =
    dep.condition === 'service_healthy'
      ? run.plan.add(
          {
            type: OperationType.AwaitHealthy,
            target: c.target,
            required: dep.required,
            resource,
            cause: 'service_healthy',
            service: name,
          },
          [after],
        )
      : run.plan.add(
          {
            type: OperationType.AwaitCompleted,
            target: c.target,
            required: dep.required,
            resource,
            cause: 'service_completed_successfully',
            service: name,
          },
          [after],
        );
  outcome.waits.set(key, node);
  return node;
}

/** The dependencies with `restart: true` that this plan recreates. */
export function restartingDependencies(run: ReconcileRun, service: Service): ServiceOutcome[] {
  return Object.entries(service.depends_on)
    .filter(([, d]) => d.restart)
    .map(([name]) => run.outcomes.get(name))
    .filter((o): o is ServiceOutcome => o?.recreated === true && o.oldStopNodes.length > 0);
}

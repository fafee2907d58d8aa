import type { Project as ProjectModel } from '../model/project.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { executePlan } from '../reconcile/execute.js';
import { observe } from '../reconcile/observe.js';
import type { Plan } from '../reconcile/plan.js';
import { reconcileDown } from '../reconcile/reconcile-down.js';
import type { ProjectDownOptions } from './options.js';

/** `down`: stop and remove the project's containers, then its networks, volumes (`-v`) and images (`--rmi`). */
export async function downProject(
  engine: EnginePort,
  model: ProjectModel,
  options: ProjectDownOptions,
): Promise<Plan> {
  const observed = await observe(engine, model.name, options.signal);
  const plan = reconcileDown(model, observed, options);
  for (const message of plan.warnings) options.onEvent?.({ kind: 'warning', message });
  if (!options.dryRun) {
    await executePlan(engine, plan, {
      parallel: options.parallel,
      signal: options.signal,
      onEvent: options.onEvent,
    });
  }
  return plan;
}

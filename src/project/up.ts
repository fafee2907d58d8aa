import type { Project as ProjectModel } from '../model/project.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { executePlan } from '../reconcile/execute.js';
import { observe } from '../reconcile/observe.js';
import { OperationType, type Plan } from '../reconcile/plan.js';
import { reconcile } from '../reconcile/reconcile.js';
import type { UpOptions } from './options.js';
import { waitForServices } from './wait-services.js';

const IMAGE_OPS = new Set([OperationType.PullImage, OperationType.BuildImage]);

/** What `up` did. */
export interface UpResult {
  /** The plans executed: the image phase (pulls and builds), if any, then the rest. */
  plans: Plan[];
}

/**
 * `up`: observe, reconcile, execute. Images are made available first (pull, build) and the
 * snapshot of images taken again, so that the container plan hashes the real image IDs and a
 * rebuilt image recreates exactly the containers that use it. `shape` narrows each plan before
 * it runs (`run` keeps only what its one-off container needs).
 */
export async function upProject(
  engine: EnginePort,
  model: ProjectModel,
  options: UpOptions,
  shape: (plan: Plan) => Plan = (plan) => plan,
): Promise<UpResult> {
  const exec = { parallel: options.parallel, signal: options.signal, onEvent: options.onEvent };
  let observed = await observe(engine, model.name, options.signal);
  let plan = shape(reconcile(model, observed, options));
  for (const message of plan.warnings) options.onEvent?.({ kind: 'warning', message });
  if (options.dryRun) return { plans: [plan] };
  const plans: Plan[] = [];
  const imageNodes = plan.nodes.filter((n) => IMAGE_OPS.has(n.operation.type));
  if (imageNodes.length) {
    const imagePlan = { nodes: imageNodes.map((n) => ({ ...n, dependsOn: [] })), warnings: [] };
    await executePlan(engine, imagePlan, exec);
    plans.push(imagePlan);
    observed = await observe(engine, model.name, options.signal);
    plan = shape(reconcile(model, observed, { ...options, pull: 'never', build: 'never' }));
  }
  await executePlan(engine, plan, exec);
  plans.push(plan);
  if (options.wait) await waitForServices(engine, model, options);
  return { plans };
}

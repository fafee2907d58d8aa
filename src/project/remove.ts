import { errors } from '../errors/kinds.js';
import type { Project as ProjectModel } from '../model/project.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { executePlan } from '../reconcile/execute.js';
import { observe } from '../reconcile/observe.js';
import { OperationType, type Plan } from '../reconcile/plan.js';
import { type LifecycleOptions, planLifecycle } from '../reconcile/reconcile-lifecycle.js';
import type { Confirm } from './confirm.js';
import type { CallOptions } from './options.js';

/** `rm`: which containers, and how consent is obtained. */
export interface RemoveOptions extends Omit<LifecycleOptions, 'killSignal' | 'timeout'>, CallOptions {
  /** `-f`: remove without asking. */
  force?: boolean;
  /** Asks before removing; required unless `force`. */
  confirm?: Confirm;
  /** Receives the messages Compose prints: `No stopped containers`, `Going to remove ...` with `-f`. */
  onMessage?: (text: string) => void;
}

/** What `rm` did: the plan, and whether it ran (false when the user said no or there was nothing). */
export interface RemoveResult {
  plan: Plan;
  removed: boolean;
}

/**
 * `rm`: removes the project's stopped service containers (running ones too with `stop`). Without
 * `force` it asks `Going to remove a, b Are you sure?` first and removes nothing unless the
 * answer is yes; without `force` and without a way to ask, it refuses rather than guess.
 */
export async function removeContainers(
  engine: EnginePort,
  model: ProjectModel,
  options: RemoveOptions,
): Promise<RemoveResult> {
  const observed = await observe(engine, model.name, options.signal);
  const plan = planLifecycle(model, observed, 'rm', options);
  const ids = new Set(
    plan.nodes.flatMap(({ operation: op }) =>
      op.type === OperationType.RemoveContainer && 'id' in op.target ? [op.target.id] : [],
    ),
  );
  const names = observed.containers.filter((c) => ids.has(c.id)).map((c) => c.name);
  if (!names.length) {
    options.onMessage?.('No stopped containers');
    return { plan, removed: false };
  }
  const message = `Going to remove ${names.join(', ')}`;
  if (options.force) options.onMessage?.(message);
  else if (!options.confirm) {
    throw errors.invalid(`rm needs confirmation to remove ${names.join(', ')}: pass force (-f)`);
  } else if (!(await options.confirm(message))) return { plan, removed: false };
  await executePlan(engine, plan, {
    parallel: options.parallel,
    signal: options.signal,
    onEvent: options.onEvent,
  });
  return { plan, removed: true };
}

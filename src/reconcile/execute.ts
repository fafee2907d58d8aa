import { BerthError, errors, isBerthError } from '../errors/kinds.js';
import type { EnginePort } from './engine-port.js';
import { runOperation } from './execute-operation.js';
import { OperationType, type Plan, type PlanNode } from './plan.js';
import type { ProgressListener } from './progress-event.js';

/** How a plan is executed. */
export interface ExecuteOptions {
  /** `--parallel N`: at most N operations at once (default: no limit). */
  parallel?: number;
  /** Aborting stops scheduling; operations in flight finish, so nothing is left half-made. */
  signal?: AbortSignal;
  onEvent?: ProgressListener;
  /** Milliseconds; injected so tests and renderers share a clock. */
  now?: () => number;
  /** How often health is polled while waiting for `service_healthy`, in ms. */
  pollMs?: number;
}

/** What the execution produced: the IDs of the containers it created, by node. */
export interface ExecuteResult {
  created: Map<number, string>;
}

/**
 * Walks the plan graph: a node starts as soon as every node it depends on is done, with at
 * most `parallel` nodes running. Makes no decisions: each node is one call in
 * {@link runOperation}. On the first failure nothing new starts, the nodes already running
 * finish, and the failure is thrown (the plan's remaining nodes are reported as skipped).
 */
export async function executePlan(
  engine: EnginePort,
  plan: Plan,
  options: ExecuteOptions = {},
): Promise<ExecuteResult> {
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => {});
  const limit = options.parallel && options.parallel > 0 ? options.parallel : Number.POSITIVE_INFINITY;
  const created = new Map<number, string>();
  const pending = new Map(plan.nodes.map((n) => [n.id, n]));
  const done = new Set<number>();
  const running = new Map<number, Promise<void>>();
  let failure: unknown;
  const abortedP = aborted(options.signal);
  const event = (n: PlanNode, state: 'started' | 'done' | 'failed' | 'skipped', extra = {}) =>
    emit({
      kind: 'operation',
      node: n.id,
      type: n.operation.type,
      operation: OperationType[n.operation.type],
      resource: n.operation.resource,
      service: n.operation.service,
      cause: n.operation.cause,
      state,
      ...extra,
    });
  const launch = (n: PlanNode) => {
    pending.delete(n.id);
    const started = now();
    event(n, 'started');
    const ctx = { engine, created, signal: options.signal, emit, pollMs: options.pollMs ?? 250 };
    const p = runOperation(n, ctx)
      .then(() => {
        done.add(n.id);
        event(n, 'done', { elapsedMs: now() - started });
      })
      .catch((err: unknown) => {
        failure ??= withService(err, n.operation.service);
        event(n, 'failed', { elapsedMs: now() - started, error: (err as Error).message });
      })
      .finally(() => running.delete(n.id));
    running.set(n.id, p);
  };
  for (;;) {
    if (failure === undefined && options.signal?.aborted) failure = errors.cancelled('interrupted');
    if (failure === undefined) {
      for (const n of pending.values()) {
        if (running.size >= limit) break;
        if (n.dependsOn.every((d) => done.has(d))) launch(n);
      }
    }
    if (running.size === 0) break;
    // Once aborted, the abort promise is settled: wait for the running nodes alone.
    await Promise.race(options.signal?.aborted ? running.values() : [...running.values(), abortedP]);
  }
  for (const n of pending.values()) event(n, 'skipped');
  if (failure !== undefined) throw failure;
  if (pending.size) throw errors.failed('the plan could not be completed (a dependency cycle in the plan)');
  return { created };
}

function aborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Adds the service to an error that does not name one, so the user sees where it failed; a
 * non-berth error becomes an `engine` error with the service. No service: `err` as it is.
 */
export function withService(err: unknown, service: string | undefined): unknown {
  if (!service) return err;
  if (isBerthError(err)) {
    if (err.context.service) return err;
    return new BerthError(err.kind, err.message, { ...err.context, service }, { cause: err });
  }
  return new BerthError('engine', String((err as Error)?.message ?? err), { service }, { cause: err });
}

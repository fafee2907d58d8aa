import { statSync } from 'node:fs';
import type { EventBus } from '../events/event-bus.js';

/**
 * `BERTH_TRACE=run`: a timing trace of each container's run path (create, start, exit, removal,
 * and the cleanup that follows it), one stderr line per step with the time since the container's
 * first step and since its previous one. Off by default, and then every call is a no-op.
 */
const enabled = (process.env.BERTH_TRACE ?? '').split(',').includes('run');

const firsts = new Map<string, { first: number; last: number }>();

/** Marks the end of step `step` of container `id`'s run path. */
export function traceRun(id: string, step: string): void {
  if (!enabled) return;
  const now = performance.now();
  const t = firsts.get(id) ?? { first: now, last: now };
  firsts.set(id, { first: t.first, last: now });
  process.stderr.write(
    `run-trace ${id.slice(0, 12)} ${(now - t.first).toFixed(1).padStart(7)} ms  +${(now - t.last).toFixed(1).padStart(5)}  ${step}\n`,
  );
}

/** Marks the last step of a container's trace and forgets it. */
export function traceRunEnd(id: string, step: string): void {
  if (!enabled) return;
  traceRun(id, step);
  firsts.delete(id);
}

/** Times `work` as step `step` (its start is marked too, so concurrent steps show their overlap). */
export async function traced<T>(id: string, step: string, work: Promise<T> | (() => Promise<T>)): Promise<T> {
  if (!enabled) return typeof work === 'function' ? work() : work;
  const begin = performance.now();
  try {
    return await (typeof work === 'function' ? work() : work);
  } finally {
    traceRun(id, `${step} (${(performance.now() - begin).toFixed(1)} ms)`);
  }
}

/** Marks container lifecycle events (start, die, destroy…) in the trace, as the event bus sees them. */
export function traceEvents(events: EventBus): void {
  if (!enabled) return;
  events.subscribe((e) => {
    if (e.Type === 'container') traceRun(e.Actor.ID, `event ${e.Action}`);
  });
}

/** Marks how long ago conmon wrote the exit file `exitFile` (the exit's detection latency). */
export function traceExitSeen(id: string, exitFile: string): void {
  if (!enabled) return;
  const written = statSync(exitFile, { throwIfNoEntry: false })?.mtimeMs;
  const lag =
    written === undefined ? 'no exit file' : `${(Date.now() - written).toFixed(1)} ms after conmon wrote it`;
  traceRun(id, `exit seen, ${lag}`);
}

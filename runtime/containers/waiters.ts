import type { ContainerRecord } from './container-record.js';

/** `POST /containers/{id}/wait?condition=`. */
export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

interface Waiter {
  id: string;
  condition: WaitCondition | 'exit';
  resolve: (c: ContainerRecord | undefined) => void;
}

/** Who is waiting for which container to exit or be removed. */
export class Waiters {
  private list: Waiter[] = [];

  /**
   * Resolves with the record when the condition holds (`removed`: with the record as it was
   * removed); `not-running` resolves at once for a container that is not running.
   */
  wait(
    c: ContainerRecord,
    condition: WaitCondition,
    signal: AbortSignal,
  ): Promise<ContainerRecord | undefined> {
    const running = ['running', 'paused', 'restarting'].includes(c.State.Status);
    if (condition === 'not-running' && !running) return Promise.resolve(c);
    return new Promise((resolve) => {
      const w: Waiter = { id: c.Id, condition, resolve };
      this.list.push(w);
      signal.addEventListener('abort', () => {
        this.list = this.list.filter((x) => x !== w);
        resolve(undefined);
      });
    });
  }

  /** Resolves at the container's next exit (internal use: stop). */
  nextExit(id: string): Promise<void> {
    return new Promise((resolve) => this.list.push({ id, condition: 'exit', resolve: () => resolve() }));
  }

  /** The container exited (or a pending restart was cancelled). */
  exited(c: ContainerRecord): void {
    this.settle(
      c,
      (w) =>
        w.condition === 'exit' ||
        w.condition === 'next-exit' ||
        (w.condition === 'not-running' && c.State.Status !== 'restarting'),
    );
  }

  /** The container was removed: everyone waiting on it is answered. */
  removed(c: ContainerRecord): void {
    this.settle(c, () => true);
  }

  private settle(c: ContainerRecord, pick: (w: Waiter) => boolean): void {
    const hit = this.list.filter((w) => w.id === c.Id && pick(w));
    this.list = this.list.filter((w) => !hit.includes(w));
    for (const w of hit) w.resolve(c);
  }
}

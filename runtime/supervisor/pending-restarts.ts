/** Restarts the restart policy has scheduled and not yet begun, by container ID. */
export class PendingRestarts {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** Runs `fn` after `delayMs` unless cancelled first. */
  schedule(id: string, delayMs: number, fn: () => void): void {
    this.cancel(id);
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        fn();
      }, delayMs),
    );
  }

  /** Cancels a pending restart; true when one was pending. */
  cancel(id: string): boolean {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    return this.timers.delete(id);
  }

  /** Cancels them all (engine shutdown: containers keep running, nothing restarts). */
  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

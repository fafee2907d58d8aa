/**
 * Waits sent but not yet registered by the engine, per container. `docker run` sets up a
 * `next-exit` wait and then starts the container; were the start to overtake the wait (they
 * travel on different connections), a quick exit would be missed and the wait would never end.
 * So `start` first lets pending registrations for the same container land. The engine answers
 * a wait's headers once it is registered; one that never does is waited for only `boundMs`.
 */
export class PendingWaits {
  private readonly pending = new Map<string, Set<Promise<unknown>>>();

  /** Records a registration in flight for `id` until it settles. */
  track(id: string, registration: Promise<unknown>): void {
    const set = this.pending.get(id) ?? new Set<Promise<unknown>>();
    this.pending.set(id, set);
    set.add(registration);
    const forget = () => {
      set.delete(registration);
      if (!set.size && this.pending.get(id) === set) this.pending.delete(id);
    };
    registration.then(forget, forget);
  }

  /** Resolves once every registration pending for `id` has settled (or after `boundMs`). */
  async settled(id: string, boundMs: number): Promise<void> {
    const set = this.pending.get(id);
    if (!set?.size) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, boundMs);
    });
    await Promise.race([Promise.allSettled([...set]), bound]);
    clearTimeout(timer);
  }
}

/**
 * Runs tasks one after another per key and concurrently across keys: the per-container
 * serialization of lifecycle operations and of state saves. A failed task does not stop the
 * ones queued behind it; each caller sees its own task's result.
 */
export class SerialByKey {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` once every task queued earlier under `key` has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** Give up after this long (default 20 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms, doubling up to 500 ms). */
  intervalMs?: number;
  /** What is being waited for, for the failure message. */
  what?: string;
}

/**
 * Retries `check` until it returns without throwing (and, if it returns a boolean, returns
 * true), then resolves with its value. Fails with the last error after `timeoutMs`. Tests
 * observe state with this instead of sleeping a fixed time.
 */
export async function eventually<T>(check: () => T | Promise<T>, opts: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let pause = opts.intervalMs ?? 50;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false) return value;
      last = new Error('the check returned false');
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 500);
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new Error(`${opts.what ?? 'condition'} not reached within ${timeoutMs} ms: ${reason}`, {
    cause: last,
  });
}

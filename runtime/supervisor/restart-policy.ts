/** `HostConfig.RestartPolicy` normalized. */
export interface RestartPolicy {
  name: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  maximumRetryCount: number;
}

/** What the restart decision looks at. */
export interface RestartFacts {
  policy: RestartPolicy;
  exitCode: number;
  restartCount: number;
  /** Set by stop/kill from a client; cleared by a client start. */
  manuallyStopped: boolean;
  /** Milliseconds the container ran before this exit. */
  ranForMs: number;
  /** The delay used before the previous restart (0 when none yet). */
  previousDelayMs: number;
}

/** Backoff bounds from Docker's restart manager. */
export const BACKOFF = { initialMs: 100, maxMs: 60_000, resetAfterMs: 10_000 } as const;

/** Parses `RestartPolicy` (`Name` '' means no); 400-worthy input returns an error string. */
export function normalizeRestartPolicy(
  p: { Name?: string; MaximumRetryCount?: number } | undefined,
): RestartPolicy | string {
  const name = p?.Name || 'no';
  const max = p?.MaximumRetryCount ?? 0;
  if (!['no', 'always', 'on-failure', 'unless-stopped'].includes(name))
    return `invalid restart policy: unknown policy '${name}'`;
  if (max < 0) return 'invalid restart policy: maximum retry count cannot be negative';
  if (max > 0 && name !== 'on-failure')
    return `invalid restart policy: maximum retry count can only be used with 'on-failure'`;
  return { name: name as RestartPolicy['name'], maximumRetryCount: max };
}

/** Whether the policy wants the container back after this exit (ignoring delays). */
export function shouldRestart(f: Omit<RestartFacts, 'ranForMs' | 'previousDelayMs'>): boolean {
  switch (f.policy.name) {
    case 'always':
      return !f.manuallyStopped;
    case 'unless-stopped':
      return !f.manuallyStopped;
    case 'on-failure':
      return (
        !f.manuallyStopped &&
        f.exitCode !== 0 &&
        (f.policy.maximumRetryCount === 0 || f.restartCount < f.policy.maximumRetryCount)
      );
    default:
      return false;
  }
}

/**
 * The restart decision after an exit: restart after `delayMs`, or stay stopped. The delay starts at
 * 100 ms, doubles per consecutive restart up to one minute, and resets when the container ran 10 s.
 */
export function restartDecision(f: RestartFacts): { restart: false } | { restart: true; delayMs: number } {
  if (!shouldRestart(f)) return { restart: false };
  const reset = f.ranForMs >= BACKOFF.resetAfterMs || f.previousDelayMs === 0;
  const delayMs = reset ? BACKOFF.initialMs : Math.min(f.previousDelayMs * 2, BACKOFF.maxMs);
  return { restart: true, delayMs };
}

/**
 * On engine start: which stopped containers come back. `always` comes back even after a manual
 * stop; `unless-stopped` only if not manually stopped; `on-failure` by its last exit code.
 */
export function restartOnEngineStart(
  f: Omit<RestartFacts, 'ranForMs' | 'previousDelayMs'> & { startedBefore: boolean },
): boolean {
  if (!f.startedBefore) return false;
  if (f.policy.name === 'always') return true;
  return shouldRestart(f);
}

/** What {@link restartAfterExit} reads of a container record. */
export interface RestartRecord {
  HostConfig: { RestartPolicy?: { Name?: string; MaximumRetryCount?: number } };
  RestartCount: number;
  ManuallyStopped: boolean;
  LastRestartDelayMs: number;
}

/** {@link restartDecision} for an exit of the container `rec` (whose policy was validated at create). */
export function restartAfterExit(rec: RestartRecord, exitCode: number, ranForMs: number) {
  return restartDecision({
    policy: normalizeRestartPolicy(rec.HostConfig.RestartPolicy) as RestartPolicy,
    exitCode,
    restartCount: rec.RestartCount,
    manuallyStopped: rec.ManuallyStopped,
    ranForMs,
    previousDelayMs: rec.LastRestartDelayMs,
  });
}

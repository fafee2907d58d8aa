import type { HealthConfig } from '../containers/api-types.js';

/** `State.Health` as inspect shows it. */
export interface HealthState {
  Status: 'starting' | 'healthy' | 'unhealthy' | 'none';
  FailingStreak: number;
  Log: HealthResult[];
}

/** One probe result (`State.Health.Log[]`). */
export interface HealthResult {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

/** A healthcheck with Docker's defaults applied; durations in milliseconds. */
export interface HealthPlan {
  /** argv to exec in the container. */
  argv: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  startIntervalMs: number;
}

const NS_PER_MS = 1_000_000;
/** Docker's defaults: 30 s interval and timeout, 3 retries, 5 s start interval. */
export const HEALTH_DEFAULTS = {
  intervalMs: 30_000,
  timeoutMs: 30_000,
  retries: 3,
  startPeriodMs: 0,
  startIntervalMs: 5_000,
};
/** Results kept and output bytes kept per result. */
export const HEALTH_LOG = { entries: 5, outputBytes: 4096 } as const;

/**
 * Merges the request's Healthcheck over the image's (field by field, zero = inherit) and turns it
 * into a plan; undefined when there is no check or it is `NONE`.
 */
export function healthPlan(
  request: HealthConfig | null | undefined,
  image: HealthConfig | undefined,
): HealthPlan | undefined {
  const pick = <K extends keyof HealthConfig>(k: K) => (request?.[k] ? request[k] : image?.[k]);
  const test = request?.Test?.length ? request.Test : image?.Test;
  if (!test?.length || test[0] === 'NONE') return undefined;
  let argv: string[];
  if (test[0] === 'CMD') argv = test.slice(1);
  else if (test[0] === 'CMD-SHELL') argv = ['/bin/sh', '-c', test.slice(1).join(' ')];
  else return undefined;
  if (argv.length === 0) return undefined;
  const ms = (ns: number | undefined, fallback: number) =>
    ns && ns > 0 ? Math.max(1, Math.round(ns / NS_PER_MS)) : fallback;
  return {
    argv,
    intervalMs: ms(pick('Interval'), HEALTH_DEFAULTS.intervalMs),
    timeoutMs: ms(pick('Timeout'), HEALTH_DEFAULTS.timeoutMs),
    retries: (pick('Retries') ?? 0) > 0 ? (pick('Retries') as number) : HEALTH_DEFAULTS.retries,
    startPeriodMs: ms(pick('StartPeriod'), HEALTH_DEFAULTS.startPeriodMs),
    startIntervalMs: ms(pick('StartInterval'), HEALTH_DEFAULTS.startIntervalMs),
  };
}

/** The state a container's health starts in at each start. */
export const initialHealth = (): HealthState => ({ Status: 'starting', FailingStreak: 0, Log: [] });

/**
 * Folds one probe result into the health state as Docker does: success → healthy, streak reset;
 * failure during the start period while still starting → logged, not counted; otherwise the
 * streak grows and reaching `retries` makes it unhealthy. Never restarts anything.
 */
export function applyProbe(
  state: HealthState,
  result: HealthResult,
  plan: HealthPlan,
  inStartPeriod: boolean,
): HealthState {
  const output = truncateOutput(result.Output);
  const Log = [...state.Log, { ...result, Output: output }].slice(-HEALTH_LOG.entries);
  if (result.ExitCode === 0) return { Status: 'healthy', FailingStreak: 0, Log };
  if (inStartPeriod && state.Status === 'starting') return { ...state, Log };
  const FailingStreak = state.FailingStreak + 1;
  const Status = FailingStreak >= plan.retries ? 'unhealthy' : state.Status;
  return { Status, FailingStreak, Log };
}

/** When the next probe runs: the start interval while starting within the start period, else the interval. */
export function nextProbeDelay(state: HealthState, plan: HealthPlan, inStartPeriod: boolean): number {
  return state.Status === 'starting' && inStartPeriod ? plan.startIntervalMs : plan.intervalMs;
}

function truncateOutput(s: string): string {
  const buf = Buffer.from(s, 'utf8');
  return buf.length <= HEALTH_LOG.outputBytes ? s : buf.subarray(0, HEALTH_LOG.outputBytes).toString('utf8');
}

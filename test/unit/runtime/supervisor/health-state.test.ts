import { describe, expect, it } from 'vitest';
import {
  applyProbe,
  healthPlan,
  initialHealth,
  nextProbeDelay,
} from '../../../../runtime/supervisor/health-state.js';

const plan = healthPlan(
  { Test: ['CMD-SHELL', 'exit 1'], Interval: 1e9, Retries: 2, StartPeriod: 5e9 },
  undefined,
);
const result = (code: number, output = '') => ({ Start: 's', End: 'e', ExitCode: code, Output: output });

describe('health state machine', () => {
  it('builds plans with Docker defaults and NONE', () => {
    expect(plan).toEqual({
      argv: ['/bin/sh', '-c', 'exit 1'],
      intervalMs: 1000,
      timeoutMs: 30000,
      retries: 2,
      startPeriodMs: 5000,
      startIntervalMs: 5000,
    });
    expect(healthPlan({ Test: ['NONE'] }, { Test: ['CMD', 'true'] })).toBeUndefined();
    expect(healthPlan({ Interval: 2e9 }, { Test: ['CMD', 'true'], Retries: 7 })?.retries).toBe(7);
    expect(healthPlan(undefined, undefined)).toBeUndefined();
  });

  it('starting → healthy on success, → unhealthy after `retries` failures, failures in the start period do not count', () => {
    if (!plan) throw new Error('no plan');
    let s = initialHealth();
    s = applyProbe(s, result(1), plan, true);
    expect(s).toMatchObject({ Status: 'starting', FailingStreak: 0 });
    s = applyProbe(s, result(1), plan, false);
    expect(s).toMatchObject({ Status: 'starting', FailingStreak: 1 });
    s = applyProbe(s, result(1), plan, false);
    expect(s).toMatchObject({ Status: 'unhealthy', FailingStreak: 2 });
    s = applyProbe(s, result(0, 'ok'), plan, false);
    expect(s).toMatchObject({ Status: 'healthy', FailingStreak: 0 });
    expect(s.Log).toHaveLength(4);
  });

  it('keeps the last 5 results with 4 KiB of output each, and probes at the start interval while starting', () => {
    if (!plan) throw new Error('no plan');
    let s = initialHealth();
    for (let i = 0; i < 7; i++) s = applyProbe(s, result(0, 'x'.repeat(10_000)), plan, false);
    expect(s.Log).toHaveLength(5);
    expect(s.Log[0]?.Output).toHaveLength(4096);
    expect(nextProbeDelay(initialHealth(), plan, true)).toBe(5000);
    expect(nextProbeDelay(s, plan, true)).toBe(1000);
  });
});

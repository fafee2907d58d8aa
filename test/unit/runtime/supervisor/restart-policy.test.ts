import { describe, expect, it } from 'vitest';
import {
  normalizeRestartPolicy,
  type RestartPolicy,
  restartDecision,
  restartOnEngineStart,
} from '../../../../runtime/supervisor/restart-policy.js';

const p = (name: RestartPolicy['name'], maximumRetryCount = 0): RestartPolicy => ({
  name,
  maximumRetryCount,
});
const facts = { exitCode: 1, restartCount: 0, manuallyStopped: false, ranForMs: 50, previousDelayMs: 0 };

describe('restart policy', () => {
  it.each([
    ['no', 1, 0, false, false],
    ['always', 0, 0, false, true],
    ['always', 1, 0, true, false],
    ['unless-stopped', 0, 0, false, true],
    ['unless-stopped', 0, 0, true, false],
    ['on-failure', 0, 0, false, false],
    ['on-failure', 1, 5, false, true],
    ['on-failure:3', 1, 2, false, true],
    ['on-failure:3', 1, 3, false, false],
  ] as const)('%s exit=%i count=%i manual=%s → %s', (name, exitCode, restartCount, manuallyStopped, expected) => {
    const [n, max] = name.split(':');
    const policy = p(n as RestartPolicy['name'], Number(max ?? 0));
    expect(restartDecision({ ...facts, policy, exitCode, restartCount, manuallyStopped }).restart).toBe(
      expected,
    );
  });

  it('backs off from 100 ms doubling to one minute, reset after 10 s of running', () => {
    const delays: number[] = [];
    let prev = 0;
    for (let i = 0; i < 12; i++) {
      const d = restartDecision({ ...facts, policy: p('always'), previousDelayMs: prev });
      if (!d.restart) throw new Error('expected restart');
      delays.push(d.delayMs);
      prev = d.delayMs;
    }
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000]);
    expect(
      restartDecision({ ...facts, policy: p('always'), previousDelayMs: 60000, ranForMs: 10_000 }),
    ).toEqual({ restart: true, delayMs: 100 });
  });

  it('on engine start: always comes back even after a manual stop, unless-stopped does not', () => {
    const f = { exitCode: 0, restartCount: 0, manuallyStopped: true, startedBefore: true };
    expect(restartOnEngineStart({ ...f, policy: p('always') })).toBe(true);
    expect(restartOnEngineStart({ ...f, policy: p('unless-stopped') })).toBe(false);
    expect(restartOnEngineStart({ ...f, manuallyStopped: false, policy: p('unless-stopped') })).toBe(true);
    expect(restartOnEngineStart({ ...f, startedBefore: false, policy: p('always') })).toBe(false);
  });

  it('validates policies as Docker does', () => {
    expect(normalizeRestartPolicy({ Name: '' })).toEqual(p('no'));
    expect(normalizeRestartPolicy({ Name: 'on-failure', MaximumRetryCount: 3 })).toEqual(p('on-failure', 3));
    expect(normalizeRestartPolicy({ Name: 'sometimes' })).toMatch(/unknown policy/);
    expect(normalizeRestartPolicy({ Name: 'always', MaximumRetryCount: 2 })).toMatch(
      /only be used with 'on-failure'/,
    );
  });
});

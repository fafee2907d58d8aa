import { describe, expect, it } from 'vitest';
import { humanDuration, statusString } from '../../../../runtime/containers/status-string.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('Status strings', () => {
  it.each([
    [{ status: 'running', startedAt: ago(180_000) }, 'Up 3 minutes'],
    [{ status: 'running', startedAt: ago(180_000), health: 'healthy' }, 'Up 3 minutes (healthy)'],
    [{ status: 'running', startedAt: ago(2_000), health: 'starting' }, 'Up 2 seconds (health: starting)'],
    [{ status: 'paused', startedAt: ago(2_000) }, 'Up 2 seconds (Paused)'],
    [{ status: 'exited', exitCode: 0, finishedAt: ago(2_000) }, 'Exited (0) 2 seconds ago'],
    [{ status: 'restarting', exitCode: 1, finishedAt: ago(5_000) }, 'Restarting (1) 5 seconds ago'],
    [{ status: 'created' }, 'Created'],
    [{ status: 'removing' }, 'Removal In Progress'],
  ] as const)('%j → %s', (facts, expected) => {
    expect(statusString({ exitCode: 0, startedAt: '', finishedAt: '', ...facts }, now)).toBe(expected);
  });

  it.each([
    [500, 'Less than a second'],
    [1000, '1 second'],
    [59_000, '59 seconds'],
    [60_000, 'About a minute'],
    [3_600_000, 'About an hour'],
    [5 * 3_600_000, '5 hours'],
    [3 * 86_400_000, '3 days'],
  ])('%i ms → %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});

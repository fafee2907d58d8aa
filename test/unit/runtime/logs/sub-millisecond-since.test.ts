import { describe, expect, it } from 'vitest';
import { parseCriLine, parseLogTime, selectEntries } from '../../../../runtime/logs/cri-log.js';

// A follower resumes with `since=<FinishedAt>` after a restart; a line written in the same
// millisecond as the exit must not come back.
describe('since and until below a millisecond', () => {
  const line = parseCriLine('2026-11-22T14:00:00.123456789Z stdout F hello-1')!;
  const pick = (since: string) =>
    selectEntries([line], { stdout: true, stderr: true, sinceMs: parseLogTime(since) }).length;

  it.each([
    ['2026-11-22T14:00:00.123999999Z', 0],
    ['2026-11-22T14:00:00.123456789Z', 1],
    ['2026-11-22T14:00:00.123Z', 1],
    ['1795356000.1234', 1],
    ['1795356000.1235', 0],
  ])('since %s keeps %i line(s)', (since, kept) => {
    expect(pick(since)).toBe(kept);
  });
});

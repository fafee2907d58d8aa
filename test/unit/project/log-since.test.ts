import { describe, expect, it } from 'vitest';
import { isBerthError } from '../../../src/errors/kinds.js';
import { sinceTimestamp } from '../../../src/project/log-since.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('logs --since', () => {
  it('passes Unix seconds through', () => {
    expect(sinceTimestamp('1700000000', NOW)).toBe('1700000000');
    expect(sinceTimestamp('1700000000.5', NOW)).toBe('1700000000.5');
  });

  it('counts a Go duration back from now', () => {
    expect(sinceTimestamp('42m', NOW)).toBe(((NOW - 42 * 60_000) / 1000).toFixed(3));
    expect(sinceTimestamp('1h30m', NOW)).toBe(((NOW - 90 * 60_000) / 1000).toFixed(3));
    expect(sinceTimestamp('1.5h', NOW)).toBe(((NOW - 90 * 60_000) / 1000).toFixed(3));
    expect(sinceTimestamp('250ms', NOW)).toBe(((NOW - 250) / 1000).toFixed(3));
  });

  it('converts RFC 3339 dates, keeping nanoseconds', () => {
    expect(sinceTimestamp('2013-01-02T13:23:37Z', NOW)).toBe('1357133017.000000000');
    expect(sinceTimestamp('2013-01-02T13:23:37.123456789+01:00', NOW)).toBe('1357129417.123456789');
  });

  it('reads a date without a zone as local time', () => {
    expect(sinceTimestamp('2013-01-02T13:23', NOW)).toBe(
      (new Date(2013, 0, 2, 13, 23).getTime() / 1000).toFixed(3),
    );
    expect(sinceTimestamp('2013-01-02', NOW)).toBe((new Date(2013, 0, 2).getTime() / 1000).toFixed(3));
  });

  it('refuses anything else with one message naming the flag', () => {
    for (const bad of ['yesterday', '1 h', '10x', '2013-13-45T99:99Z', '']) {
      let caught: unknown;
      try {
        sinceTimestamp(bad, NOW);
      } catch (err) {
        caught = err;
      }
      expect(isBerthError(caught, 'invalid'), bad).toBe(true);
      expect((caught as Error).message).toMatch(/^--since: cannot parse/);
    }
  });
});

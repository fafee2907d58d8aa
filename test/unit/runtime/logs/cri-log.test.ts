import { describe, expect, it } from 'vitest';
import {
  parseCriLine,
  parseLogTime,
  parseTail,
  renderEntry,
  selectEntries,
  toUtcNano,
} from '../../../../runtime/logs/cri-log.js';
import { DEFAULT_LOG_MAX_BYTES, logSizeMax, parseSize } from '../../../../runtime/logs/log-options.js';
import { frame, parseFrames } from '../../../../runtime/logs/stream-frame.js';

const lines = [
  '2026-01-01T10:00:00.000000001+00:00 stdout F one',
  '2026-01-01T10:00:01.000000000+00:00 stderr F two',
  '2026-01-01T10:00:02.000000000+00:00 stdout P par',
  '2026-01-01T10:00:02.500000000+00:00 stdout F tial',
  '2026-01-01T10:00:03.000000000+00:00 stdout F ',
  'torn line',
];
const entries = lines.map(parseCriLine).filter((e) => e !== undefined);

describe('CRI log format', () => {
  it('parses lines, skipping torn ones, in UTC with nanoseconds', () => {
    expect(entries).toHaveLength(5);
    expect(entries[0]).toMatchObject({
      time: '2026-01-01T10:00:00.000000001Z',
      stream: 'stdout',
      partial: false,
      content: 'one',
    });
    expect(entries[2]?.partial).toBe(true);
    expect(entries[4]?.content).toBe('');
    expect(toUtcNano('2026-01-01T12:00:00.5+02:00')).toBe('2026-01-01T10:00:00.500000000Z');
  });

  it('selects streams, since/until and tail (a partial run counts as one line)', () => {
    const all = { stdout: true, stderr: true };
    expect(selectEntries(entries, { stdout: false, stderr: true }).map((e) => e.content)).toEqual(['two']);
    expect(selectEntries(entries, { ...all, tail: 2 }).map((e) => e.content)).toEqual(['par', 'tial', '']);
    expect(selectEntries(entries, { ...all, tail: 0 })).toEqual([]);
    const since = parseLogTime(String(Date.parse('2026-01-01T10:00:01Z') / 1000));
    expect(
      selectEntries(entries, { ...all, sinceMs: since, untilMs: parseLogTime('2026-01-01T10:00:02Z') }).map(
        (e) => e.content,
      ),
    ).toEqual(['two', 'par']);
    expect(parseTail('all')).toBeUndefined();
    expect(parseTail('3')).toBe(3);
  });

  it('renders entries with newlines only for full lines and timestamps at line starts', () => {
    const [a, , p, t] = entries;
    if (!a || !p || !t) throw new Error('fixture');
    expect(renderEntry(a, true, true).toString()).toBe('2026-01-01T10:00:00.000000001Z one\n');
    expect(renderEntry(p, false, true).toString()).toBe('par');
    expect(renderEntry(t, true, false).toString()).toBe('tial\n');
  });

  it('frames and unframes the multiplexed stream', () => {
    const buf = Buffer.concat([
      frame(1, Buffer.from('out')),
      frame(2, Buffer.from('err')),
      Buffer.from([1, 0, 0]),
    ]);
    const { frames, rest } = parseFrames(buf);
    expect(frames.map((f) => [f.stream, f.payload.toString()])).toEqual([
      [1, 'out'],
      [2, 'err'],
    ]);
    expect(rest).toHaveLength(3);
    expect(buf.subarray(0, 8)).toEqual(Buffer.from([1, 0, 0, 0, 0, 0, 0, 3]));
  });

  it('bounds log size from LogConfig', () => {
    expect(parseSize('10m')).toBe(10 * 1024 * 1024);
    expect(parseSize('512k')).toBe(512 * 1024);
    expect(() => parseSize('lots')).toThrow(/max-size/);
    expect(logSizeMax({ HostConfig: {} })).toBe(DEFAULT_LOG_MAX_BYTES);
    expect(
      logSizeMax({
        HostConfig: { LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '3' } } },
      }),
    ).toBe(3 * 1024 * 1024);
  });
});

/** One line of a CRI-format log (`<time> <stream> <P|F> <content>`), as conmon writes them. */
export interface LogEntry {
  /** RFC 3339 with nanoseconds, in UTC (`...Z`). */
  time: string;
  /** Milliseconds since the epoch, with the sub-millisecond fraction (for since/until). */
  ms: number;
  stream: 'stdout' | 'stderr';
  /** A partial line: the content continues in the next entry (no newline yet). */
  partial: boolean;
  /** The line's bytes, one character per byte (latin1), so output that is not UTF-8 survives. */
  content: string;
}

/** Parses one CRI log line; undefined for a malformed (e.g. torn by rotation) line. */
export function parseCriLine(line: string): LogEntry | undefined {
  const m = /^(\S+) (stdout|stderr) ([PF]) ?(.*)$/s.exec(line);
  if (!m) return undefined;
  const raw = m[1] as string;
  const ms = preciseMs(raw);
  if (ms === undefined) return undefined;
  return {
    time: toUtcNano(raw),
    ms,
    stream: m[2] as 'stdout' | 'stderr',
    partial: m[3] === 'P',
    content: m[4] ?? '',
  };
}

/** `2026-01-01T10:00:00.123456789+00:00` → `2026-01-01T10:00:00.123456789Z` (Docker's RFC3339Nano). */
export function toUtcNano(time: string): string {
  if (time.endsWith('+00:00')) return `${time.slice(0, -6)}Z`;
  if (time.endsWith('Z')) return time;
  const frac = /\.(\d+)/.exec(time)?.[1] ?? '';
  const iso = new Date(Date.parse(time)).toISOString();
  return frac ? iso.replace(/\.\d+Z$/, `.${frac.padEnd(9, '0').slice(0, 9)}Z`) : iso;
}

/** Docker's `since`/`until` query values: unix seconds with an optional fraction, or RFC 3339. */
export function parseLogTime(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  return preciseMs(value);
}

/**
 * An RFC 3339 time as milliseconds with its sub-millisecond digits kept (Date.parse drops them):
 * lines written within one millisecond must still compare in order against `since`.
 */
function preciseMs(time: string): number | undefined {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return undefined;
  const frac = /\.(\d+)/.exec(time)?.[1] ?? '';
  return frac.length > 3 ? ms + Number(`0.${frac.slice(3)}`) : ms;
}

/** Which entries a logs request wants. */
export interface LogSelection {
  stdout: boolean;
  stderr: boolean;
  sinceMs?: number;
  untilMs?: number;
  /** Last N lines; undefined = all. */
  tail?: number;
}

/**
 * Applies since/until, then tail, then stream selection to parsed entries (pure). As Docker's
 * json-file reader does, tail counts lines of both streams before one stream is picked.
 */
export function selectEntries(entries: LogEntry[], sel: LogSelection): LogEntry[] {
  const inTime = entries.filter(
    (e) =>
      (sel.sinceMs === undefined || e.ms >= sel.sinceMs) &&
      (sel.untilMs === undefined || e.ms <= sel.untilMs),
  );
  return tailLines(inTime, sel.tail).filter(
    (e) => (e.stream === 'stdout' && sel.stdout) || (e.stream === 'stderr' && sel.stderr),
  );
}

function tailLines(picked: LogEntry[], tail: number | undefined): LogEntry[] {
  if (tail === undefined) return picked;
  if (tail <= 0) return [];
  // Tail counts lines: a run of partial entries plus its final entry is one line.
  let lines = 0;
  let i = picked.length;
  while (i > 0) {
    const e = picked[i - 1] as LogEntry;
    if (!e.partial) {
      if (lines === tail) break;
      lines++;
    }
    i--;
  }
  return picked.slice(i);
}

/** `tail` query: a number, or `all`/absent for everything. */
export function parseTail(value: string | null): number | undefined {
  if (!value || value === 'all') return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) || n < 0 ? undefined : n;
}

/** The bytes a client gets for an entry: content, the newline of a full line, an optional timestamp before each line. */
export function renderEntry(e: LogEntry, timestamps: boolean, atLineStart: boolean): Buffer {
  const prefix = timestamps && atLineStart ? `${e.time} ` : '';
  return Buffer.from(`${prefix}${e.content}${e.partial ? '' : '\n'}`, 'latin1');
}

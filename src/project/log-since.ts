import { errors } from '../errors/kinds.js';
import { parseDuration } from '../loader/normalize/units.js';
import { unixSeconds } from './logs.js';

/** A Go duration with its unit(s): bare numbers are Unix seconds here, not a duration. */
const DURATION = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/;
/** The date forms the Docker CLI accepts: a day, or a day and time, with an optional zone. */
const DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:\d{2})?$/;

/**
 * A `--since` value as the engine takes it (`seconds.nanoseconds`), by the Docker CLI's rules:
 * Unix seconds pass as they are, a Go duration (`42m`, `1h30m`) counts back from `nowMs`, and an
 * RFC 3339 date or date-time is converted (local time when it names no zone). Anything else
 * is bad input naming the flag. Pure: the clock is passed in.
 */
export function sinceTimestamp(value: string, nowMs: number, flag = '--since'): string {
  const v = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(v)) return v;
  if (DURATION.test(v)) {
    return ((nowMs - parseDuration(v) / 1e6) / 1000).toFixed(3);
  }
  if (DATE.test(v)) {
    const zoned = /(?:Z|[+-]\d{2}:\d{2})$/.test(v);
    // A zone-less date-time is local time, as Go parses it; JavaScript does the same once it has a time.
    const local = v.includes('T') ? v : `${v}T00:00`;
    const ms = Date.parse(zoned ? v : local);
    if (!Number.isNaN(ms)) return zoned ? unixSeconds(v) : (ms / 1000).toFixed(3);
  }
  throw errors.invalid(
    `${flag}: cannot parse "${value}" as a time or a duration (e.g. 42m, 2013-01-02T13:23:37Z)`,
  );
}

import { errorFromTransport } from '../errors.js';
import type { Transport } from '../transport.js';

/** Every call accepts an AbortSignal; aborting rejects with a `cancelled` BerthError. */
export interface WithSignal {
  /** Aborts the call (and closes its connection). */
  signal?: AbortSignal;
}

/**
 * A point in time for `since`/`until`: a Date, or Unix seconds as a number or a string
 * (`"1700000000.5"`), which is how the engine takes it. Relative forms (`10m`) and dates are the
 * CLI's to convert (src/project/log-since.ts), as the docker CLI does.
 */
export type TimeArg = Date | number | string;

/** Encodes a {@link TimeArg} the way the engine expects (Unix seconds with a fraction). */
export function timeParam(t: TimeArg | undefined): string | undefined {
  if (t === undefined) return undefined;
  if (t instanceof Date) return (t.getTime() / 1000).toFixed(3);
  return String(t);
}

/** The error mapper for a stream of `endpoint` (transport failures become berth errors). */
export function streamErrors(
  transport: Transport,
  endpoint: string,
  signal?: AbortSignal,
): (err: unknown) => Error {
  return (err) => errorFromTransport(err, transport.host, endpoint, signal);
}

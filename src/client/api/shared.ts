import { errorFromTransport } from '../errors.js';
import type { Transport } from '../transport.js';

/** Every call accepts an AbortSignal; aborting rejects with a `cancelled` BerthError. */
export interface WithSignal {
  signal?: AbortSignal;
}

/** A point in time for `since`/`until`: a Date, Unix seconds, or a string the engine parses (`10m`, RFC 3339). */
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

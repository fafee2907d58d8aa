/**
 * Per-call-kind timeouts in milliseconds; 0 means none. Calls that legitimately run for as long
 * as something else decides (wait, logs --follow, events, attach, pull, build) are `stream` calls
 * and have no timeout; callers bound them with an AbortSignal.
 */
export interface Timeouts {
  /** Establishing a TCP connection (unix sockets connect at once). */
  connect: number;
  /** Reads: ping, version, inspect, list, top, history. */
  metadata: number;
  /** Changes: create, start, remove, connect, tag, prune... (stop and restart add their grace period). */
  mutation: number;
}

/** The timeouts used when the caller sets none. */
export const DEFAULT_TIMEOUTS: Timeouts = { connect: 10_000, metadata: 60_000, mutation: 300_000 };

/** How long a call may take: a timeout kind, `stream` (no timeout) or explicit milliseconds. */
export type CallKind = 'metadata' | 'mutation' | 'stream' | number;

/** The timeout in milliseconds for a call kind (0 = none). */
export function timeoutFor(kind: CallKind, timeouts: Timeouts): number {
  if (typeof kind === 'number') return kind;
  return kind === 'stream' ? 0 : timeouts[kind];
}

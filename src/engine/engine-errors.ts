import { BerthError, type ErrorKind } from '../errors/kinds.js';

const KINDS: Record<string, ErrorKind> = {
  invalid: 'invalid',
  'not-found': 'not-found',
  conflict: 'conflict',
  unavailable: 'unavailable',
};

/**
 * An engine failure (an EngineError from runtime/, or a startup error such as no OCI runtime)
 * as the BerthError the CLI renders: one line, located at the data root.
 */
export function asBerthError(err: unknown, dataRoot: string): BerthError {
  if (err instanceof BerthError) return err;
  const e = err as { kind?: string; message?: string };
  const kind = (e?.kind && KINDS[e.kind]) || 'unavailable';
  return new BerthError(kind, `engine: ${e?.message ?? String(err)}`, { location: dataRoot }, { cause: err });
}

import { BerthError, type ErrorKind } from '../errors/kinds.js';

/** Exit codes per kind; Compose exits 1 for nearly everything, 130 on interrupt. */
const EXIT_CODES: Record<ErrorKind, number> = {
  invalid: 1,
  'not-found': 1,
  conflict: 1,
  'not-modified': 0,
  unavailable: 1,
  unauthorized: 1,
  timeout: 1,
  failed: 1,
  cancelled: 130,
  engine: 1,
};

/** One line per problem: `place: message`, where place is the most precise context known. */
export function formatError(err: BerthError): string {
  const lines = [formatOne(err), ...err.details.map(formatOne)];
  return lines.join('\n');
}

/**
 * `place: message`, where place is the most precise context known; a part the message already
 * names (the service, the file) is not repeated.
 */
function formatOne(err: BerthError): string {
  const { location, path, service, endpoint } = err.context;
  const message = err.message;
  const serviceName = service ? `service "${service}"` : undefined;
  const place = [
    location && !message.includes(location) ? location : undefined,
    path ?? (serviceName && !message.includes(serviceName) ? serviceName : undefined),
    endpoint,
  ]
    .filter((p): p is string => Boolean(p))
    .join(' ');
  return place ? `${place}: ${message}` : message;
}

/**
 * Turns any thrown value into the text shown to the user and an exit code. A non-berth error
 * is a bug: it is shown with its stack only when BERTH_DEBUG is set.
 */
export function renderError(err: unknown): { text: string; exitCode: number } {
  if (err instanceof BerthError) {
    return { text: formatError(err), exitCode: EXIT_CODES[err.kind] };
  }
  const e = err as { message?: string; stack?: string; oclif?: { exit?: number } };
  if (e?.oclif) return { text: e.message ?? String(err), exitCode: e.oclif.exit ?? 2 };
  const debug = process.env.BERTH_DEBUG ? `\n${e?.stack ?? ''}` : '';
  return { text: `internal error: ${e?.message ?? String(err)}${debug}`, exitCode: 1 };
}

import { BerthError, type ErrorKind } from '../errors/kinds.js';
import type { ResolvedHost } from './host.js';

/**
 * The ONE place where engine failures become berth errors: HTTP statuses and bodies, transport
 * failures (refused or missing sockets), errors reported in the middle of a 200 stream,
 * timeouts and cancellations.
 */

const STATUS_KINDS: Record<number, ErrorKind> = {
  304: 'not-modified',
  400: 'invalid',
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'not-found',
  409: 'conflict',
};

/** The error kind for an HTTP status (anything else >= 300 is `engine`). */
export function kindForStatus(status: number): ErrorKind {
  return STATUS_KINDS[status] ?? (status === 406 || status === 412 ? 'conflict' : 'engine');
}

/**
 * Docker answers 403 both for refused credentials and for operations its state forbids
 * ("network has active endpoints"): the latter are conflicts.
 */
const FORBIDDEN_BY_STATE = /active endpoints|in use|is running|being used/i;

/** What Docker says when a registry refused the credentials (or got none). */
const REGISTRY_REFUSED =
  /no basic auth credentials|unauthorized|authentication required|incorrect username or password|access denied|denied: /i;

/** Maps an error response (status and raw body) to a BerthError whose message is the engine's. */
export function errorFromResponse(status: number, body: string, endpoint: string): BerthError {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed?.message === 'string') message = parsed.message;
  } catch {
    // Not JSON: older engines and proxies answer in plain text; keep it as is.
  }
  if (!message)
    message = status === 304 ? 'nothing to do: already in that state' : `engine answered HTTP ${status}`;
  let kind = kindForStatus(status);
  if (status === 403 && FORBIDDEN_BY_STATE.test(message)) kind = 'conflict';
  // Registries' refusals reach Docker's pull and push answers as 500s.
  if (status >= 500 && REGISTRY_REFUSED.test(message)) kind = 'unauthorized';
  return new BerthError(kind, message, { endpoint, status });
}

/** Kinds for the `error` of a progress or event stream, which carries no HTTP status. */
const STREAM_PATTERNS: Array<[RegExp, ErrorKind]> = [
  [
    /unauthorized|authentication required|denied|no basic auth credentials|incorrect username/i,
    'unauthorized',
  ],
  [/not found|manifest unknown|no such|does not exist|repository name not known/i, 'not-found'],
];

/** Maps an `error`/`errorDetail` found inside a 200 progress stream (pull, push, build, load). */
export function errorFromStream(
  message: string,
  endpoint: string,
  code?: number,
  fallback: ErrorKind = 'engine',
): BerthError {
  const fromCode = code !== undefined && code >= 300 ? kindForStatus(code) : undefined;
  const fromText = STREAM_PATTERNS.find(([re]) => re.test(message))?.[1];
  return new BerthError(fromText ?? fromCode ?? fallback, message, { endpoint });
}

/** How to get an engine, shown when none answers. */
const START_HINT = 'Start one with `berth engine start`, or point --host/DOCKER_HOST at a Docker daemon';

/** Maps a failure to connect or converse (ECONNREFUSED, ENOENT, EACCES, resets, aborts). */
export function errorFromTransport(
  err: unknown,
  host: ResolvedHost,
  endpoint: string,
  signal?: AbortSignal,
): BerthError {
  if (err instanceof BerthError) return err;
  const e = err as NodeJS.ErrnoException;
  if (signal?.aborted || e?.name === 'AbortError' || e?.code === 'ABORT_ERR') return cancelled(endpoint, err);
  const code = e?.code ?? '';
  const reasons: Record<string, string> = {
    ENOENT: 'no such socket',
    ECONNREFUSED: 'connection refused',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTFOUND: 'unknown host name',
    EHOSTUNREACH: 'host unreachable',
    ETIMEDOUT: 'connection timed out',
    ECONNRESET: 'the engine closed the connection',
    EPIPE: 'the engine closed the connection',
    ENOTSOCK: 'not a socket',
  };
  const reason = reasons[code] ?? e?.message ?? String(err);
  const hint = ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(code) ? `. ${START_HINT}` : '';
  return new BerthError(
    'unavailable',
    `cannot reach the engine at ${host.url}: ${reason}${hint}`,
    { endpoint },
    {
      cause: err,
    },
  );
}

/** The call was cancelled through its AbortSignal. */
export function cancelled(endpoint: string, cause?: unknown): BerthError {
  return new BerthError('cancelled', 'the request was cancelled', { endpoint }, { cause });
}

/** The call ran past its per-call-kind timeout. */
export function timedOut(endpoint: string, ms: number): BerthError {
  return new BerthError('timeout', `the engine did not answer within ${ms} ms`, { endpoint });
}

/** The engine speaks an API older than berth needs. */
export function apiTooOld(server: string, minimum: string, host: ResolvedHost): BerthError {
  return new BerthError(
    'unavailable',
    `the engine at ${host.url} speaks Engine API ${server}, older than ${minimum} which berth needs; upgrade the engine`,
    { endpoint: 'GET /_ping' },
  );
}

/** A malformed answer from the engine (a body that should be JSON and is not). */
export function malformedResponse(endpoint: string, detail: string): BerthError {
  return new BerthError('engine', `the engine sent a malformed answer: ${detail}`, { endpoint });
}

/** The same error, attributed to the call that was being made (a failed negotiation surfaces in every call). */
export function forEndpoint(err: unknown, endpoint: string): unknown {
  if (!(err instanceof BerthError) || err.context.endpoint === endpoint) return err;
  return new BerthError(
    err.kind,
    err.message,
    { ...err.context, endpoint },
    { cause: err.cause, details: err.details },
  );
}

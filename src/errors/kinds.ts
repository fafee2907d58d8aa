/**
 * The closed set of error kinds berth reports. Every failure that reaches a user is a
 * {@link BerthError} of one of these kinds; the CLI turns kinds into messages and exit codes
 * in one place (src/cli/render-error.ts), and the Engine API client maps HTTP statuses to kinds
 * in one place (src/client/errors.ts).
 */
export type ErrorKind =
  /** Bad input: a malformed stack file, flag, request or archive. */
  | 'invalid'
  /** A resource (container, image, network, volume, service, file) does not exist. */
  | 'not-found'
  /** The request conflicts with current state (name in use, container running, cycle). */
  | 'conflict'
  /** The engine had nothing to do (HTTP 304: start a running container, stop a stopped one). */
  | 'not-modified'
  /** The engine cannot be reached or is not ready. */
  | 'unavailable'
  /** Credentials are missing or refused. */
  | 'unauthorized'
  /** A wait ran past its deadline (health check, --wait-timeout). */
  | 'timeout'
  /** A service or operation ran but failed (non-zero exit, failed build, unhealthy). */
  | 'failed'
  /** The operation was cancelled (Ctrl-C, AbortSignal). */
  | 'cancelled'
  /** Any other error the engine reported (HTTP 5xx). */
  | 'engine';

/** Where an error happened: any of these that are known are shown to the user. */
export interface ErrorContext {
  /** A source position, `file:line:col` or a file path. */
  location?: string;
  /** The path in the model, e.g. `services.web.ports[0]`. */
  path?: string;
  /** The service concerned. */
  service?: string;
  /** The engine endpoint or resource concerned, e.g. `POST /containers/create`. */
  endpoint?: string;
  /** An HTTP status, when the error came from an engine. */
  status?: number;
}

/** A berth error: a kind, a message for humans, and the context that locates it. */
export class BerthError extends Error {
  readonly kind: ErrorKind;
  readonly context: ErrorContext;
  /** Further problems reported together with this one (e.g. all schema violations). */
  readonly details: readonly BerthError[];

  constructor(
    kind: ErrorKind,
    message: string,
    context: ErrorContext = {},
    options: { cause?: unknown; details?: readonly BerthError[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BerthError';
    this.kind = kind;
    this.context = context;
    this.details = options.details ?? [];
  }
}

/** True when `err` is a {@link BerthError}, optionally of the given kind. */
export function isBerthError(err: unknown, kind?: ErrorKind): err is BerthError {
  return err instanceof BerthError && (kind === undefined || err.kind === kind);
}

/** Shorthand constructors, so call sites read as the kind they raise. */
export const errors = {
  invalid: (message: string, context?: ErrorContext, details?: readonly BerthError[]) =>
    new BerthError('invalid', message, context, { details }),
  notFound: (message: string, context?: ErrorContext) => new BerthError('not-found', message, context),
  conflict: (message: string, context?: ErrorContext) => new BerthError('conflict', message, context),
  unavailable: (message: string, context?: ErrorContext, cause?: unknown) =>
    new BerthError('unavailable', message, context, { cause }),
  timeout: (message: string, context?: ErrorContext) => new BerthError('timeout', message, context),
  failed: (message: string, context?: ErrorContext) => new BerthError('failed', message, context),
  cancelled: (message: string, context?: ErrorContext) => new BerthError('cancelled', message, context),
};

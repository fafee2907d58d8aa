/**
 * Errors the engine raises. Each carries the HTTP status the API answers with, so handlers only
 * throw and the server maps them to `{"message": ...}` responses in one place.
 * (runtime/ never imports src/, so this is the engine's own closed set.)
 */
export type EngineErrorKind =
  | 'invalid' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'conflict' // 409
  | 'not-modified' // 304
  | 'unavailable' // 503
  | 'internal'; // 500

const STATUS: Record<EngineErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'not-modified': 304,
  unavailable: 503,
  internal: 500,
};

/** An error with a kind and a Docker-compatible message. */
export class EngineError extends Error {
  readonly kind: EngineErrorKind;
  constructor(kind: EngineErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.kind = kind;
  }
  /** The HTTP status this error is answered with. */
  get status(): number {
    return STATUS[this.kind];
  }
}

export const invalid = (m: string) => new EngineError('invalid', m);
export const notFound = (m: string) => new EngineError('not-found', m);
export const conflict = (m: string) => new EngineError('conflict', m);
export const notModified = (m = '') => new EngineError('not-modified', m);
export const internal = (m: string, cause?: unknown) => new EngineError('internal', m, { cause });

import type { Readable } from 'node:stream';
import { BerthError, type ErrorKind } from '../../errors/kinds.js';
import { errorFromStream, malformedResponse } from '../errors.js';
import { JsonLinesParser } from './json-lines.js';

interface ErrorLine {
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

/** Maps transport failures of a stream to berth errors (supplied by the transport, which knows the host). */
export type StreamErrorMapper = (err: unknown) => Error;

/**
 * Iterates a JSON-lines answer as typed objects. A line carrying `error`/`errorDetail` ends the
 * iteration with a thrown BerthError (`failKind` when the message says nothing more specific).
 * Leaving the loop early closes the connection.
 */
export async function* jsonLines<T>(
  source: Readable,
  endpoint: string,
  mapError: StreamErrorMapper,
  failKind: ErrorKind = 'engine',
): AsyncGenerator<T> {
  const parser = new JsonLinesParser<T & ErrorLine>();
  const check = (item: T & ErrorLine): T => {
    if (item && typeof item === 'object' && (item.error || item.errorDetail)) {
      const message = item.errorDetail?.message || item.error || 'the engine reported an error';
      throw errorFromStream(message, endpoint, item.errorDetail?.code, failKind);
    }
    return item;
  };
  const parse = (step: () => Array<T & ErrorLine>) => {
    try {
      return step();
    } catch (err) {
      throw malformedResponse(endpoint, (err as Error).message);
    }
  };
  try {
    try {
      for await (const chunk of source) {
        for (const item of parse(() => parser.push(chunk as Buffer))) yield check(item);
      }
    } catch (err) {
      if (err instanceof BerthError) throw err;
      throw mapError(err);
    }
    for (const item of parse(() => parser.end())) yield check(item);
  } finally {
    if (!source.destroyed) source.destroy();
  }
}

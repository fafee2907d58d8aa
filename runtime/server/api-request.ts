import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { parseFilters } from '../api/filters.js';
import { parseJsonBody, queryBool, readBounded } from '../api/json-body.js';
import type { ApiRequest } from '../api/route.js';

/** What the server knows about a request once it is routed. */
export interface RequestParts {
  raw: IncomingMessage;
  path: string;
  version: string;
  params: Record<string, string>;
  query: URLSearchParams;
  signal: AbortSignal;
  /** The body: the request itself, or for upgraded connections the bytes before the raw stream. */
  body: Readable | (() => Promise<Buffer>);
}

/** Builds the {@link ApiRequest} handlers see; the body is read at most once. */
export function createApiRequest(parts: RequestParts): ApiRequest {
  const method = parts.raw.method ?? 'GET';
  const endpoint = `${method} ${parts.path}`;
  let body: Promise<Buffer> | undefined;
  let filters: Record<string, string[]> | undefined;
  return {
    method,
    path: parts.path,
    version: parts.version,
    params: parts.params,
    query: parts.query,
    headers: parts.raw.headers,
    raw: parts.raw,
    signal: parts.signal,
    async json<T>(): Promise<T> {
      body ??= typeof parts.body === 'function' ? parts.body() : readBounded(parts.body, endpoint);
      return parseJsonBody<T>(await body, endpoint);
    },
    flag(name: string): boolean {
      return queryBool(parts.query.get(name));
    },
    filters(): Record<string, string[]> {
      filters ??= parseFilters(parts.query.get('filters'));
      return filters;
    },
  };
}

import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable, Writable } from 'node:stream';

/**
 * The contract between the API server (runtime/server) and the modules that serve endpoints
 * (images, containers, exec, networks, volumes, system). A module exports `Route[]`; the server
 * matches method and path (versioned `/v1.41/...` and unversioned), parses the query, and calls
 * the handler. Handlers throw `EngineError` for failures; the server answers `{"message": ...}`.
 */
export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  /** A path pattern such as `/containers/{id}/json`; `{name*}` matches the rest (image names with slashes). */
  path: string;
  handler: Handler;
}

export type Handler = (req: ApiRequest, res: ApiResponse) => Promise<void> | void;

/** A parsed request. */
export interface ApiRequest {
  method: string;
  /** The path without the version prefix. */
  path: string;
  /** The API version the client asked for (`1.41`), or the server's maximum when unversioned. */
  version: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The raw request, for streamed bodies (image load, build contexts, archives). */
  raw: IncomingMessage;
  /** The whole body as JSON (empty body = `{}`), bounded in size; malformed JSON is a 400. */
  json<T = unknown>(): Promise<T>;
  /** A boolean query parameter as Docker reads them (`1`, `true`, `True`). */
  flag(name: string): boolean;
  /** The `filters` query parameter in either encoding, as `{ key: [values] }`. */
  filters(): Record<string, string[]>;
  /** Aborted when the client goes away (for follow streams and waits). */
  signal: AbortSignal;
}

/** How a handler answers. Exactly one of these is called per request. */
export interface ApiResponse {
  json(status: number, body: unknown): void;
  /** A status with no body (204, 304). */
  empty(status: number): void;
  /** Sends headers now and returns the body stream (logs, events, progress, wait). */
  stream(status: number, contentType: string, headers?: Record<string, string>): Writable;
  /** Pipes a readable as the body (export, save, archive). */
  pipe(status: number, contentType: string, body: Readable, headers?: Record<string, string>): void;
  /**
   * Takes over the connection (attach, exec start): answers `101 UPGRADED` when the client asked
   * for `Upgrade: tcp`, else `200 OK`, with the given content type, and returns the raw socket.
   */
  hijack(contentType: string): Duplex;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Duplex, PassThrough, pipeline, Readable, type Writable } from 'node:stream';
import type { ApiResponse } from '../api/route.js';
import { commonHeaders } from './headers.js';

/** An {@link ApiResponse} that also says whether it has started answering. */
export interface TrackedResponse extends ApiResponse {
  /** True once a status line has been sent (an error can then no longer be answered as JSON). */
  readonly started: boolean;
  /** Ends whatever was started, after a handler returned or failed mid-stream. */
  finish(error?: Error): void;
}

/** The {@link ApiResponse} of an ordinary (not upgraded) request. */
export function httpResponse(req: IncomingMessage, res: ServerResponse): TrackedResponse {
  let started = false;
  let streaming = false;
  const begin = (status: number, headers: Record<string, string | number>) => {
    if (started) throw new Error('response already started');
    started = true;
    res.writeHead(status, { ...commonHeaders(), ...headers });
  };
  return {
    get started() {
      return started;
    },
    json(status, body) {
      const text = `${JSON.stringify(body)}\n`;
      begin(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    },
    empty(status) {
      begin(status, {});
      res.end();
    },
    stream(status, contentType, headers = {}) {
      begin(status, { 'Content-Type': contentType, ...headers });
      res.flushHeaders();
      streaming = true;
      return res;
    },
    pipe(status, contentType, body: Readable, headers = {}) {
      begin(status, { 'Content-Type': contentType, ...headers });
      streaming = true;
      pipeline(body, res, () => {});
    },
    hijack(contentType) {
      // A client that did not ask to upgrade gets a plain 200 whose body is the raw output
      // stream (no chunk framing, as dockerd writes it), ended by closing the connection.
      res.useChunkedEncodingByDefault = false;
      begin(200, { 'Content-Type': contentType, Connection: 'close' });
      res.flushHeaders();
      streaming = true;
      const output = new PassThrough();
      output.pipe(res);
      const input = req.readableEnded ? Readable.from([]) : req;
      return Duplex.from({ readable: input, writable: output as Writable });
    },
    finish(error) {
      if (!started) return;
      if (error && streaming) res.destroy(error);
      else if (!streaming && !res.writableEnded) res.end();
    },
  };
}

import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { EngineError } from '../errors.js';

/** One HTTP exchange with a registry. */
export interface HttpRequest {
  method: string;
  url: URL;
  headers?: OutgoingHttpHeaders;
  /** A body: bytes, or a stream (then give Content-Length in headers). */
  body?: Buffer | Readable;
  signal?: AbortSignal;
  /** Follow 3xx (GET/HEAD only); default 5 hops. */
  maxRedirects?: number;
}

const SENSITIVE = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * The headers to send to a redirect target: credentials go only to the origin they were meant
 * for (blob downloads often redirect to a storage host, which must never see them).
 */
export function headersForRedirect(from: URL, to: URL, headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  if (from.origin === to.origin) return headers;
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!SENSITIVE.includes(k.toLowerCase())) out[k] = v;
  return out;
}

/** Sends a request and resolves with the response (its body unread), following redirects. */
export async function send(req: HttpRequest): Promise<IncomingMessage> {
  let url = req.url;
  let headers = req.headers ?? {};
  const hops = req.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const res = await once({ ...req, url, headers });
    const location = res.headers.location;
    const redirect = res.statusCode && [301, 302, 303, 307, 308].includes(res.statusCode) && location;
    if (!redirect || !['GET', 'HEAD'].includes(req.method)) return res;
    res.resume();
    if (hop >= hops) throw new EngineError('unavailable', `too many redirects from ${req.url.host}`);
    const next = new URL(location, url);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw new EngineError('unavailable', `redirect to an unsupported scheme ${next.protocol}`);
    }
    headers = headersForRedirect(url, next, headers);
    url = next;
  }
}

function once(req: HttpRequest & { headers: OutgoingHttpHeaders }): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const make = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const r = make(
      req.url,
      { method: req.method, headers: req.headers, signal: req.signal, timeout: 60_000 },
      resolve,
    );
    r.on('timeout', () => r.destroy(new Error(`no answer from ${req.url.host} within 60 s`)));
    r.on('error', (err) =>
      reject(
        err instanceof EngineError
          ? err
          : new EngineError('unavailable', `cannot reach registry ${req.url.host}: ${err.message}`, {
              cause: err,
            }),
      ),
    );
    const body = req.body;
    if (body === undefined || Buffer.isBuffer(body)) r.end(body);
    else {
      body.on('error', (err) => r.destroy(err));
      body.pipe(r);
    }
  });
}

/** Reads a whole (small) response body, refusing more than `maxBytes`. */
export async function readBody(res: IncomingMessage, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw new EngineError('invalid', `${what} is larger than ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      res.destroy();
      throw new EngineError('invalid', `${what} is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

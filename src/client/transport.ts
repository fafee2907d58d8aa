import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex, Readable } from 'node:stream';
import { errors } from '../errors/kinds.js';
import { readText } from './body.js';
import { isStaleSocket, oneWay, readTls } from './connection.js';
import {
  apiTooOld,
  cancelled,
  errorFromResponse,
  errorFromTransport,
  forEndpoint,
  malformedResponse,
  timedOut,
} from './errors.js';
import type { ResolvedHost } from './host.js';
import { encodeQuery, type Query } from './query.js';
import { type CallKind, type Timeouts, timeoutFor } from './timeouts.js';
import { compareVersions, negotiateVersion } from './version.js';

/** One request to the engine. */
export interface CallOptions {
  query?: Query;
  /** A JSON body. */
  json?: unknown;
  /** A raw body (a tar archive), streamed. */
  raw?: Readable | Buffer;
  /** Content type of `raw` (default `application/x-tar`). */
  contentType?: string;
  headers?: Record<string, string>;
  /** How long the call may take; default `metadata`. */
  kind?: CallKind;
  signal?: AbortSignal;
  /** Send to the bare path, not `/v<version>/...` (`/_ping`). */
  unversioned?: boolean;
}

/** A hijacked connection: the raw socket after `101 UPGRADED` (or a one-way fallback). */
export interface Hijacked {
  socket: Duplex;
  contentType: string;
}

/**
 * HTTP over a unix socket or TCP (optionally TLS) with a keep-alive pool for short calls and a
 * fresh connection for long-lived ones. Negotiates the API version once, on first use.
 */
export class Transport {
  readonly host: ResolvedHost;
  /** The per-call-kind timeouts in force. */
  readonly timeouts: Timeouts;
  private readonly pooled: http.Agent;
  private readonly mod: typeof http | typeof https;
  private readonly tlsOptions: https.AgentOptions = {};
  private prefix: string | undefined;
  private negotiating: Promise<string> | undefined;

  constructor(host: ResolvedHost, timeouts: Timeouts, apiVersion?: string) {
    this.host = host;
    this.timeouts = timeouts;
    const ep = host.endpoint;
    if (ep.kind === 'tcp' && ep.tls) {
      this.mod = https;
      this.tlsOptions = readTls(ep.tls);
      this.pooled = new https.Agent({ keepAlive: true, maxSockets: 32, ...this.tlsOptions });
    } else {
      this.mod = http;
      this.pooled = new http.Agent({ keepAlive: true, maxSockets: 32 });
    }
    if (apiVersion) this.prefix = `/v${apiVersion}`;
  }

  /** The API version in use (negotiating it when not yet known). */
  async apiVersion(signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) throw cancelled('GET /_ping');
    return (this.prefix ?? (await this.negotiate())).slice(2);
  }

  /** Sends a call and parses its JSON answer (`undefined` for an empty body). */
  async call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
    const ms = timeoutFor(opts.kind ?? 'metadata', this.timeouts);
    const { text } = await this.exchange(method, path, opts, ms, true);
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      const got = JSON.stringify(text.slice(0, 80));
      throw malformedResponse(`${method} ${path}`, `expected JSON, got ${got}`);
    }
  }

  /** Sends a call whose answer is a stream (logs, events, progress, archives); no body timeout. */
  async stream(method: string, path: string, opts: CallOptions = {}): Promise<IncomingMessage> {
    const ms = timeoutFor(opts.kind ?? 'stream', this.timeouts);
    return (await this.exchange(method, path, opts, ms, false)).res;
  }

  /** Sends a call with `Upgrade: tcp` and returns the raw bidirectional connection. */
  async hijack(method: string, path: string, opts: CallOptions = {}): Promise<Hijacked> {
    const endpoint = `${method} ${path}`;
    const prefix = this.prefix ?? (await this.negotiateFor(endpoint));
    const fullPath = `${prefix}${path}${encodeQuery(opts.query)}`;
    const body = opts.json === undefined ? undefined : Buffer.from(JSON.stringify(opts.json));
    return new Promise<Hijacked>((resolve, reject) => {
      const req = this.mod.request({
        ...this.target(false),
        method,
        path: fullPath,
        signal: opts.signal,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'tcp',
          ...(body ? { 'Content-Type': 'application/json', 'Content-Length': body.length } : {}),
        },
      });
      req.on('upgrade', (res, socket, head) => {
        if (head.length) socket.unshift(head);
        resolve({ socket, contentType: String(res.headers['content-type'] ?? '') });
      });
      req.on('response', (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          readText(res).then(
            (text) => reject(errorFromResponse(res.statusCode ?? 0, text, endpoint)),
            (err) => reject(errorFromTransport(err, this.host, endpoint)),
          );
        } else {
          // An engine that answers without upgrading streams output only; stdin is discarded.
          resolve({ socket: oneWay(res), contentType: String(res.headers['content-type'] ?? '') });
        }
      });
      req.on('error', (err) => reject(errorFromTransport(err, this.host, endpoint, opts.signal)));
      req.end(body);
    });
  }

  /** Closes the pooled connections so the process can exit; later calls open new ones. */
  close(): void {
    this.pooled.destroy();
  }

  private negotiateFor(endpoint: string): Promise<string> {
    return this.negotiate().catch((err: unknown) => {
      throw forEndpoint(err, endpoint);
    });
  }

  /** Negotiates once for all concurrent callers (so no caller's AbortSignal is used for it). */
  private negotiate(): Promise<string> {
    this.negotiating ??= negotiateVersion((method, path) =>
      this.exchange(method, path, { unversioned: true }, this.timeouts.metadata, true),
    ).then(
      ({ version, minimum, server }) => {
        if (compareVersions(server, minimum) < 0) throw apiTooOld(server, minimum, this.host);
        this.prefix = `/v${version}`;
        return this.prefix;
      },
      (err) => {
        this.negotiating = undefined;
        throw err;
      },
    );
    return this.negotiating;
  }

  private target(pooled: boolean): http.RequestOptions {
    const ep = this.host.endpoint;
    const agent = pooled ? this.pooled : false;
    if (ep.kind === 'unix') return { socketPath: ep.socketPath, agent };
    return { hostname: ep.hostname, port: ep.port, agent, ...(pooled ? {} : this.tlsOptions) };
  }

  /** Sends a request; resolves with a 2xx/101-free response, rejects with the mapped error otherwise. */
  private async exchange(
    method: string,
    path: string,
    opts: CallOptions,
    ms: number,
    collect: boolean,
  ): Promise<{ res: IncomingMessage; text: string }> {
    const endpoint = `${method} ${path}`;
    // No await once the version is known: this is the hot path of every call.
    const prefix = opts.unversioned ? '' : (this.prefix ?? (await this.negotiateFor(endpoint)));
    const fullPath = `${prefix}${path}${encodeQuery(opts.query)}`;
    const headers: Record<string, string | number> = { ...opts.headers };
    let body: Buffer | undefined;
    if (opts.json !== undefined) {
      body = Buffer.from(JSON.stringify(opts.json));
      headers['Content-Type'] = 'application/json';
    } else if (Buffer.isBuffer(opts.raw)) {
      body = opts.raw;
      headers['Content-Type'] = opts.contentType ?? 'application/x-tar';
    } else if (opts.raw) {
      headers['Content-Type'] = opts.contentType ?? 'application/x-tar';
    }
    if (body) headers['Content-Length'] = body.length;
    const long = (opts.kind ?? 'metadata') === 'stream';
    const replayable = !opts.raw || Buffer.isBuffer(opts.raw);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let answer: IncomingMessage | undefined;
      const clear = () => timer && clearTimeout(timer);
      const fail = (err: unknown) => {
        clear();
        // A pooled connection the engine closed while idle fails before any answer: the
        // request never reached it, so sending it again on a fresh connection is safe.
        if (req.reusedSocket && !answer && replayable && isStaleSocket(err)) {
          resolve(this.exchange(method, path, opts, ms, collect));
          return;
        }
        reject(errorFromTransport(err, this.host, endpoint, opts.signal));
      };
      const req = this.mod.request({
        ...this.target(!long),
        method,
        path: fullPath,
        headers,
        signal: opts.signal,
      });
      if (ms > 0) {
        timer = setTimeout(() => {
          const err = timedOut(endpoint, ms);
          req.destroy(err);
          answer?.destroy(err);
        }, ms);
      }
      this.guardConnect(req, endpoint);
      req.on('error', fail);
      req.on('response', (res) => {
        answer = res;
        const status = res.statusCode ?? 0;
        if (status < 300 && !collect) {
          clear();
          return resolve({ res, text: '' });
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          clear();
          const text =
            chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
          if (status < 300) resolve({ res, text });
          else reject(errorFromResponse(status, text, endpoint));
        });
      });
      if (opts.raw && !Buffer.isBuffer(opts.raw)) {
        opts.raw.on('error', (err) =>
          req.destroy(errors.invalid(`cannot read the request body: ${err.message}`)),
        );
        opts.raw.pipe(req);
      } else {
        req.end(body);
      }
    });
  }

  private guardConnect(req: http.ClientRequest, endpoint: string): void {
    const ms = this.timeouts.connect;
    if (!ms || this.host.endpoint.kind === 'unix') return;
    req.once('socket', (socket) => {
      if (!socket.connecting) return;
      const t = setTimeout(() => req.destroy(timedOut(endpoint, ms)), ms);
      socket.once('connect', () => clearTimeout(t));
      socket.once('close', () => clearTimeout(t));
    });
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { MAX_JSON_BODY } from '../api/json-body.js';
import type { Route } from '../api/route.js';
import { EngineError } from '../errors.js';
import { createApiRequest, type RequestParts } from './api-request.js';
import { splitVersion } from './api-version.js';
import { httpResponse, type TrackedResponse } from './http-response.js';
import { Router } from './router.js';
import { prepareSocketPath, restrictSocket } from './unix-socket.js';
import { readUpgradeBody, upgradedResponse } from './upgraded-response.js';

/** Where the server reports handler failures that are bugs (not EngineErrors). */
export type ServerLog = (level: 'debug' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** The engine's API server: routes over a unix socket. */
export interface ApiServer {
  /** Listens on the socket path (mode 0660), replacing a stale socket. */
  listen(socketPath: string): Promise<void>;
  /** Stops listening and drops every connection, streams included. */
  close(): Promise<void>;
  /** The underlying node:http server (for tests that listen elsewhere). */
  readonly http: Server;
}

/** Creates the API server for a set of routes. */
export function createApiServer(routes: readonly Route[], log: ServerLog = () => {}): ApiServer {
  const router = new Router(routes);
  const sockets = new Set<Socket>();
  const server = createServer({ requestTimeout: 0, keepAliveTimeout: 30_000 });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const ac = new AbortController();
    res.once('close', () => ac.abort());
    void dispatch(router, req, httpResponse(req, res), { signal: ac.signal, body: req }, log);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const ac = new AbortController();
    socket.once('close', () => ac.abort());
    socket.on('error', () => ac.abort());
    const length = Number(req.headers['content-length'] ?? 0) || 0;
    const body = readUpgradeBody(socket, head, length, MAX_JSON_BODY);
    body.catch(() => socket.destroy());
    void dispatch(router, req, upgradedResponse(socket), { signal: ac.signal, body: () => body }, log);
  });
  return {
    http: server,
    async listen(socketPath) {
      await prepareSocketPath(socketPath);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => {
          server.off('error', reject);
          resolve();
        });
      });
      await restrictSocket(socketPath);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

async function dispatch(
  router: Router,
  req: IncomingMessage,
  res: TrackedResponse,
  io: Pick<RequestParts, 'signal' | 'body'>,
  log: ServerLog,
): Promise<void> {
  const method = req.method ?? 'GET';
  let endpoint = `${method} ${req.url ?? '/'}`;
  try {
    // Split by hand, repeated slashes collapsed: `new URL` would read `//x/...` as a host name.
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const { path, version } = splitVersion((q < 0 ? target : target.slice(0, q)).replace(/\/{2,}/g, '/'));
    const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
    endpoint = `${method} ${path}`;
    const match = router.match(method, path);
    if (!match) throw new EngineError('not-found', 'page not found');
    const apiReq = createApiRequest({
      raw: req,
      path,
      version,
      params: match.params,
      query,
      ...io,
    });
    const started = performance.now();
    await match.handler(apiReq, res);
    res.finish();
    log('debug', 'request', { endpoint, version, ms: Math.round(performance.now() - started) });
  } catch (err) {
    answerError(res, err, endpoint, log);
  }
}

function answerError(res: TrackedResponse, err: unknown, endpoint: string, log: ServerLog): void {
  const known = err instanceof EngineError;
  if (!known) log('error', `${endpoint} failed`, { error: (err as Error)?.stack ?? String(err) });
  if (res.started) {
    res.finish(err instanceof Error ? err : new Error(String(err)));
    return;
  }
  if (known && err.kind === 'not-modified') {
    res.empty(304);
    return;
  }
  const status = known ? err.status : 500;
  const message = known ? err.message : `${endpoint}: ${(err as Error)?.message ?? String(err)}`;
  res.json(status, { message });
}

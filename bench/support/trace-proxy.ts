import { unlinkSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';

/** One Engine API call seen by the proxy; times in ms since the proxy started. */
export interface TracedCall {
  method: string;
  /** The path without the `/v1.xx` prefix and without the query. */
  path: string;
  query: string;
  status: number;
  start: number;
  end: number;
}

/** A logging proxy in front of an engine's unix socket. */
export interface TraceProxy {
  /** `unix://…`: give it to DOCKER_HOST. */
  host: string;
  /** Everything answered so far, in order of completion. */
  calls: TracedCall[];
  /** Forgets the calls recorded so far and restarts the clock. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts an HTTP proxy on `socketPath` that forwards every request to the engine at
 * `upstreamSocket` and records its method, path, status and timing, so the calls a tool sends
 * (berth, docker-compose, a bare loop) can be compared call by call. Hijacked connections
 * (attach, exec) are passed through and recorded when they close.
 */
export async function startTraceProxy(socketPath: string, upstreamSocket: string): Promise<TraceProxy> {
  let origin = performance.now();
  const calls: TracedCall[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const record = (method: string, url: string, status: number, start: number) => {
    const [path, query = ''] = url.split('?');
    calls.push({
      method,
      path: path.replace(/^\/v\d+\.\d+/, ''),
      query,
      status,
      start: start - origin,
      end: performance.now() - origin,
    });
  };
  const server = http.createServer((req, res) => {
    const start = performance.now();
    const up = http.request(
      { socketPath: upstreamSocket, agent, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => record(req.method ?? '', req.url ?? '', answer.statusCode ?? 0, start));
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('upgrade', (req, client, head) => {
    const start = performance.now();
    const upstream = connect(upstreamSocket, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    const done = () => record(req.method ?? '', req.url ?? '', 101, start);
    upstream.once('close', done);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  try {
    unlinkSync(socketPath);
  } catch {}
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    host: `unix://${socketPath}`,
    calls,
    reset: () => {
      calls.length = 0;
      origin = performance.now();
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

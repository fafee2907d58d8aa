import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request seen by the proxy. */
export interface SeenRequest {
  method: string;
  path: string;
  status: number;
  /** Body bytes sent to the registry (uploads). */
  sent: number;
  /** Body bytes the registry answered with (downloads). */
  received: number;
}

/** A counting HTTP proxy on 127.0.0.1 in front of a registry: the test reads what moved. */
export interface CountingProxy {
  /** `127.0.0.1:<port>`: use it as the registry's address. */
  address: string;
  seen: SeenRequest[];
  /** Forgets what was seen so far. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a proxy forwarding every request to `target` (`host:port`), counting requests and bytes. */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const [host, port] = target.split(':');
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const record: SeenRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      status: 0,
      sent: 0,
      received: 0,
    };
    const upstream = request(
      { host, port: Number(port), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        record.status = answer.statusCode ?? 0;
        // Locations name the registry; keep clients talking through the proxy.
        const headers = { ...answer.headers };
        if (typeof headers.location === 'string')
          headers.location = headers.location.replace(target, address);
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.on('data', (c: Buffer) => {
          record.received += c.length;
        });
        answer.pipe(res);
        answer.on('end', () => seen.push(record));
      },
    );
    upstream.on('error', () => res.destroy());
    req.on('data', (c: Buffer) => {
      record.sent += c.length;
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    seen,
    reset: () => {
      seen.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

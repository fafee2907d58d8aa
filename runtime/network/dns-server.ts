import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { buildResponse, NXDOMAIN, parseQuery, REFUSED, SERVFAIL } from './dns-codec.js';
import type { Resolution } from './dns-names.js';

/** Decides a query's fate; see resolveQuestion. */
export type Resolver = (src: string, query: ReturnType<typeof parseQuery> & object) => Resolution;

/** Options of the embedded DNS server. */
export interface DnsServerOptions {
  resolve: Resolver;
  /** Whether unknown names may be forwarded at all (off in tests). */
  forwarding: () => boolean;
  /** The host's nameservers, for containers without their own `Dns`. */
  upstreams: () => string[];
  log: (message: string, fields?: Record<string, unknown>) => void;
}

const UPSTREAM_TIMEOUT_MS = 4000;

/**
 * The embedded resolver: one UDP socket on each user network's gateway address, port 53.
 * Answers names of containers on the querier's networks and forwards the rest upstream
 * (never for internal networks, never when forwarding is off).
 */
export class DnsServer {
  private readonly sockets = new Map<string, Socket>();

  constructor(private readonly options: DnsServerOptions) {}

  /** Starts listening on `address:53`; idempotent. */
  async listen(address: string): Promise<void> {
    if (this.sockets.has(address)) return;
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('message', (msg, rinfo) => this.onMessage(socket, msg, rinfo));
    socket.on('error', (err) => this.options.log('dns socket error', { address, error: String(err) }));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(53, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.sockets.set(address, socket);
  }

  /** Stops listening on `address`. */
  async close(address: string): Promise<void> {
    const socket = this.sockets.get(address);
    this.sockets.delete(address);
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** Stops every socket. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sockets.keys()].map((a) => this.close(a)));
  }

  private onMessage(socket: Socket, msg: Buffer, rinfo: RemoteInfo): void {
    const q = parseQuery(msg);
    if (!q) return;
    const reply = (buf: Buffer) => socket.send(buf, rinfo.port, rinfo.address);
    const verdict = this.options.resolve(rinfo.address, q);
    if (verdict.kind !== 'unknown') {
      const rcode = verdict.kind === 'refused' ? REFUSED : verdict.rcode;
      reply(buildResponse(msg, q, rcode, verdict.kind === 'answer' ? verdict.answers : []));
      return;
    }
    const allowed = !verdict.internal && this.options.forwarding();
    const upstreams = !allowed
      ? []
      : verdict.upstreams?.length
        ? verdict.upstreams
        : this.options.upstreams();
    if (upstreams.length === 0) {
      reply(buildResponse(msg, q, NXDOMAIN, []));
      return;
    }
    this.forward(msg, upstreams).then(
      (answer) => reply(answer),
      () => reply(buildResponse(msg, q, SERVFAIL, [])),
    );
  }

  /** Sends the raw query to the upstreams in turn; resolves with the first answer. */
  private async forward(msg: Buffer, upstreams: string[]): Promise<Buffer> {
    for (const server of upstreams.slice(0, 3)) {
      const answer = await new Promise<Buffer | undefined>((resolve) => {
        const s = createSocket(server.includes(':') ? 'udp6' : 'udp4');
        const timer = setTimeout(() => done(undefined), UPSTREAM_TIMEOUT_MS);
        const done = (value: Buffer | undefined) => {
          clearTimeout(timer);
          s.close();
          resolve(value);
        };
        s.on('error', () => done(undefined));
        s.on('message', (m) => done(m));
        s.send(msg, 53, server);
      });
      if (answer) return answer;
    }
    throw new Error('no upstream answered');
  }
}

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { buildResponse, NXDOMAIN, parseQuery, REFUSED, SERVFAIL } from './dns-codec.js';
import type { Resolution } from './dns-names.js';
import { fitForUdp, udpLimit } from './dns-truncate.js';

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
 * The embedded resolver: UDP and TCP on each user network's gateway address, port 53.
 * Answers names of containers on the querier's networks and forwards the rest upstream
 * (never for internal networks, never when forwarding is off).
 */
export class DnsServer {
  private readonly listeners = new Map<string, { udp: UdpSocket; tcp: Server }>();

  constructor(private readonly options: DnsServerOptions) {}

  /** Starts listening on `address:53` (UDP and TCP); idempotent. */
  async listen(address: string): Promise<void> {
    if (this.listeners.has(address)) return;
    const udp = createSocket({ type: 'udp4', reuseAddr: true });
    udp.on('message', (msg, rinfo) => {
      this.answer(msg, rinfo.address).then(
        (reply) => reply && udp.send(fitForUdp(reply, udpLimit(msg)), rinfo.port, rinfo.address),
      );
    });
    udp.on('error', (err) => this.options.log('dns socket error', { address, error: String(err) }));
    const tcp = createServer((conn) => this.serveTcp(conn));
    tcp.on('error', (err) => this.options.log('dns socket error', { address, error: String(err) }));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(53, address, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    await new Promise<void>((resolve) => {
      // DNS over TCP is a fallback: without it (port taken) UDP still serves.
      tcp.once('error', () => resolve());
      tcp.listen(53, address, () => resolve());
    });
    this.listeners.set(address, { udp, tcp });
  }

  /** Stops listening on `address`. */
  async close(address: string): Promise<void> {
    const l = this.listeners.get(address);
    this.listeners.delete(address);
    if (!l) return;
    await new Promise<void>((resolve) => l.udp.close(() => resolve()));
    await new Promise<void>((resolve) => (l.tcp.listening ? l.tcp.close(() => resolve()) : resolve()));
  }

  /** Stops every socket. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.listeners.keys()].map((a) => this.close(a)));
  }

  /** Serves length-prefixed queries on one TCP connection (RFC 1035 4.2.2). */
  private serveTcp(conn: Socket): void {
    let pending = Buffer.alloc(0);
    conn.setTimeout(10_000, () => conn.destroy());
    conn.on('error', () => conn.destroy());
    conn.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const msg = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + msg.length);
        this.answer(msg, conn.remoteAddress ?? '').then((reply) => {
          if (!reply || conn.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(reply.length);
          conn.write(Buffer.concat([len, reply]));
        });
      }
    });
  }

  /** The reply to one query from `src` (undefined: not a query, say nothing). */
  private async answer(msg: Buffer, src: string): Promise<Buffer | undefined> {
    const q = parseQuery(msg);
    if (!q) return undefined;
    const verdict = this.options.resolve(src.replace(/^::ffff:/, ''), q);
    if (verdict.kind !== 'unknown') {
      const rcode = verdict.kind === 'refused' ? REFUSED : verdict.rcode;
      return buildResponse(msg, q, rcode, verdict.kind === 'answer' ? verdict.answers : []);
    }
    const allowed = !verdict.internal && this.options.forwarding();
    const own = verdict.upstreams?.length ? verdict.upstreams : undefined;
    const upstreams = allowed ? (own ?? this.options.upstreams()) : [];
    if (upstreams.length === 0) return buildResponse(msg, q, NXDOMAIN, []);
    return this.forward(msg, upstreams).catch(() => buildResponse(msg, q, SERVFAIL, []));
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

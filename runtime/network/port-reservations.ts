import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { PortMapping } from './network-state.js';
import { EPHEMERAL_FIRST, EPHEMERAL_LAST, isIpv6, type PortRequest } from './port-mappings.js';
import { type ProxyTarget, tcpForwarder, udpForwarder } from './userland-proxy.js';

/** The container addresses published ports lead to. */
export interface PublishedAddress {
  ip: string;
  ip6?: string;
}

/**
 * Host ports the engine holds for published container ports. Holding a bound socket (as
 * docker-proxy does) is what makes a conflict with any other program fail at `start`, and keeps
 * the port ours while the container runs. IPv4 traffic never reaches these sockets, since DNAT
 * rewrites it first; on IPv6 host addresses the socket forwards what DNAT does not carry (::1, and
 * everything for a container without an IPv6 address) to the container (userland-proxy.ts).
 */
export class PortReservations {
  private readonly held = new Map<string, Server | UdpSocket>();
  /** Closers of UDP relays, by key. */
  private readonly relays = new Map<string, () => void>();
  /** Open forwarded TCP connections, by key (closed with their port). */
  private readonly connections = new Map<string, Set<Socket>>();
  private cursor = EPHEMERAL_FIRST;

  private static key(proto: string, ip: string, port: number): string {
    return `${proto}:${ip}:${port}`;
  }

  /** Binds one socket; resolves false when the address is in use. */
  private async bind(proto: 'tcp' | 'udp', ip: string, port: number, target?: ProxyTarget): Promise<boolean> {
    const key = PortReservations.key(proto, ip, port);
    if (
      this.held.has(key) ||
      (ip !== '0.0.0.0' && !isIpv6(ip) && this.held.has(PortReservations.key(proto, '0.0.0.0', port)))
    ) {
      return false;
    }
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
        else reject(err);
      };
      if (proto === 'tcp') {
        const forward = isIpv6(ip) && target ? tcpForwarder({ ip: target.ip, port: target.port }) : undefined;
        // Half-open kept: a client may send its request and FIN before the answer comes back.
        const server = createServer({ allowHalfOpen: true }, forward ?? ((conn) => conn.destroy()));
        const open = new Set<Socket>();
        server.on('connection', (conn) => {
          open.add(conn);
          conn.on('close', () => open.delete(conn));
        });
        server.once('error', onError);
        server.listen({ host: ip, port, exclusive: true, ipv6Only: isIpv6(ip) }, () => {
          server.off('error', onError);
          this.held.set(key, server);
          this.connections.set(key, open);
          resolve(true);
        });
      } else {
        const v6 = isIpv6(ip);
        const socket = createSocket({ type: v6 ? 'udp6' : 'udp4', reuseAddr: false, ipv6Only: v6 });
        socket.once('error', onError);
        socket.bind({ address: ip, port, exclusive: true }, () => {
          socket.off('error', onError);
          this.held.set(key, socket);
          if (v6 && target) this.relays.set(key, udpForwarder(socket, target));
          resolve(true);
        });
      }
    });
  }

  /**
   * Reserves a host port for each request, in order; on the first conflict releases what this
   * call took and throws Docker's `Bind for <ip>:<port> failed: port is already allocated`.
   */
  async reserve(requests: PortRequest[], to?: PublishedAddress): Promise<PortMapping[]> {
    const taken: PortMapping[] = [];
    // IPv6 host addresses forward to the container's IPv6 address when it has one (only ::1
    // traffic comes to the socket then: DNAT carries the rest), else to its IPv4 address.
    const targetOf = (r: PortRequest, hostIp: string): ProxyTarget | undefined => {
      const ip = isIpv6(hostIp) ? (to?.ip6 ?? to?.ip) : to?.ip;
      return ip ? { ip, port: r.containerPort } : undefined;
    };
    try {
      for (const r of requests) {
        const port = await this.reserveOne(r, targetOf(r, r.hostIp));
        taken.push({ proto: r.proto, hostIp: r.hostIp, hostPort: port, containerPort: r.containerPort });
        if (r.alsoIpv6 && (await this.bind(r.proto, '::', port, targetOf(r, '::')).catch(() => false)))
          taken.push({ proto: r.proto, hostIp: '::', hostPort: port, containerPort: r.containerPort });
      }
      return taken;
    } catch (err) {
      await this.release(taken);
      throw err;
    }
  }

  private async reserveOne(r: PortRequest, target: ProxyTarget | undefined): Promise<number> {
    if (r.first === 0) {
      const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
      for (let i = 0; i < span; i++) {
        const port = EPHEMERAL_FIRST + ((this.cursor - EPHEMERAL_FIRST + i) % span);
        if (await this.bind(r.proto, r.hostIp, port, target)) {
          this.cursor = port + 1 > EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
          return port;
        }
      }
      throw new Error(`Bind for ${r.hostIp}:0 failed: no free port in the ephemeral range`);
    }
    for (let port = r.first; port <= r.last; port++) {
      if (await this.bind(r.proto, r.hostIp, port, target)) return port;
    }
    const shown = r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`;
    throw new Error(`Bind for ${r.hostIp}:${shown} failed: port is already allocated`);
  }

  /** Closes one held socket, its UDP relays and its forwarded connections. */
  private close(key: string): Promise<void> {
    const sock = this.held.get(key);
    this.held.delete(key);
    this.relays.get(key)?.();
    this.relays.delete(key);
    for (const conn of this.connections.get(key) ?? []) conn.destroy();
    this.connections.delete(key);
    return sock ? new Promise<void>((resolve) => sock.close(() => resolve())) : Promise.resolve();
  }

  /** Closes the sockets of these mappings. */
  async release(mappings: PortMapping[]): Promise<void> {
    await Promise.all(mappings.map((m) => this.close(PortReservations.key(m.proto, m.hostIp, m.hostPort))));
  }

  /** Closes every socket (engine shutdown). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((key) => this.close(key)));
  }
}

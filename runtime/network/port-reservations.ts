import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { PortMapping } from './network-state.js';
import { EPHEMERAL_FIRST, EPHEMERAL_LAST, type PortRequest } from './port-mappings.js';

/**
 * Host ports the engine holds for published container ports. Holding a bound socket (as
 * docker-proxy does) is what makes a conflict with any other program fail at `start`, and keeps
 * the port ours while the container runs; traffic itself never reaches these sockets, since
 * DNAT rewrites it first.
 */
export class PortReservations {
  private readonly held = new Map<string, Server | UdpSocket>();
  private cursor = EPHEMERAL_FIRST;

  private static key(proto: string, ip: string, port: number): string {
    return `${proto}:${ip}:${port}`;
  }

  /** Binds one socket; resolves false when the address is in use. */
  private async bind(proto: 'tcp' | 'udp', ip: string, port: number): Promise<boolean> {
    const key = PortReservations.key(proto, ip, port);
    if (
      this.held.has(key) ||
      (ip !== '0.0.0.0' && this.held.has(PortReservations.key(proto, '0.0.0.0', port)))
    ) {
      return false;
    }
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
        else reject(err);
      };
      if (proto === 'tcp') {
        const server = createServer((conn) => conn.destroy());
        server.once('error', onError);
        server.listen({ host: ip, port, exclusive: true }, () => {
          server.off('error', onError);
          this.held.set(key, server);
          resolve(true);
        });
      } else {
        const socket = createSocket({ type: 'udp4', reuseAddr: false });
        socket.once('error', onError);
        socket.bind({ address: ip, port, exclusive: true }, () => {
          socket.off('error', onError);
          this.held.set(key, socket);
          resolve(true);
        });
      }
    });
  }

  /**
   * Reserves a host port for each request, in order; on the first conflict releases what this
   * call took and throws Docker's `Bind for <ip>:<port> failed: port is already allocated`.
   */
  async reserve(requests: PortRequest[]): Promise<PortMapping[]> {
    const taken: PortMapping[] = [];
    try {
      for (const r of requests) {
        const port = await this.reserveOne(r);
        taken.push({ proto: r.proto, hostIp: r.hostIp, hostPort: port, containerPort: r.containerPort });
      }
      return taken;
    } catch (err) {
      await this.release(taken);
      throw err;
    }
  }

  private async reserveOne(r: PortRequest): Promise<number> {
    if (r.first === 0) {
      const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
      for (let i = 0; i < span; i++) {
        const port = EPHEMERAL_FIRST + ((this.cursor - EPHEMERAL_FIRST + i) % span);
        if (await this.bind(r.proto, r.hostIp, port)) {
          this.cursor = port + 1 > EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
          return port;
        }
      }
      throw new Error(`Bind for ${r.hostIp}:0 failed: no free port in the ephemeral range`);
    }
    for (let port = r.first; port <= r.last; port++) {
      if (await this.bind(r.proto, r.hostIp, port)) return port;
    }
    const shown = r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`;
    throw new Error(`Bind for ${r.hostIp}:${shown} failed: port is already allocated`);
  }

  /** Closes the sockets of these mappings. */
  async release(mappings: PortMapping[]): Promise<void> {
    await Promise.all(
      mappings.map((m) => {
        const key = PortReservations.key(m.proto, m.hostIp, m.hostPort);
        const sock = this.held.get(key);
        this.held.delete(key);
        return sock ? new Promise<void>((resolve) => sock.close(() => resolve())) : undefined;
      }),
    );
  }

  /** Closes every socket (engine shutdown). */
  async releaseAll(): Promise<void> {
    const all = [...this.held.values()];
    this.held.clear();
    await Promise.all(all.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';

/**
 * Forwarding for published ports on IPv6 host addresses where the kernel cannot DNAT: to a
 * container with IPv4 only (no IPv6-to-IPv4 NAT), and from ::1 (a loopback source may not leave
 * lo, and IPv6 has no route_localnet), as docker-proxy does. IPv4 publications never come here
 * (DNAT carries them at kernel speed), nor IPv6 ones to a container's IPv6 address from elsewhere.
 */

/** The address a publication forwards to. */
export interface ProxyTarget {
  ip: string;
  port: number;
}

/** A TCP connection handler that pipes each accepted connection to the target. */
export function tcpForwarder(target: ProxyTarget): (client: Socket) => void {
  return (client) => {
    const upstream = connect({ host: target.ip, port: target.port, allowHalfOpen: true });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.pipe(upstream);
    upstream.pipe(client);
  };
}

/** How long a UDP client's relay socket lives without traffic. */
const UDP_IDLE_MS = 30_000;

/**
 * Relays datagrams arriving on `socket` to the target, one IPv4 socket per client so replies find
 * their way back; returns the function that closes every relay socket.
 */
export function udpForwarder(socket: UdpSocket, target: ProxyTarget): () => void {
  const relays = new Map<string, { sock: UdpSocket; timer: NodeJS.Timeout }>();
  const drop = (key: string) => {
    const relay = relays.get(key);
    relays.delete(key);
    if (relay) {
      clearTimeout(relay.timer);
      relay.sock.close();
    }
  };
  socket.on('message', (msg, rinfo) => {
    const key = `${rinfo.address}|${rinfo.port}`;
    let relay = relays.get(key);
    if (!relay) {
      const sock = createSocket(target.ip.includes(':') ? 'udp6' : 'udp4');
      sock.on('message', (reply) => socket.send(reply, rinfo.port, rinfo.address));
      sock.on('error', () => drop(key));
      relay = { sock, timer: setTimeout(() => drop(key), UDP_IDLE_MS) };
      relays.set(key, relay);
    }
    relay.timer.refresh();
    relay.sock.send(msg, target.port, target.ip);
  });
  return () => {
    for (const key of [...relays.keys()]) drop(key);
  };
}

import { formatCidr, parseCidr } from './ipam.js';
import { bridgeOptions } from './network-records.js';
import type { AttachedContainer, EndpointRecord, NetworkRecord, PortMapping } from './network-state.js';

/**
 * The network description netavark reads on stdin for `setup` and `teardown` (its
 * `NetworkOptions`), built from the engine's state: the engine has already chosen every address,
 * MAC and host port, so netavark only plumbs what it is told.
 */
export interface NetavarkOptions {
  container_id: string;
  container_name: string;
  port_mappings: NetavarkPort[];
  networks: Record<
    string,
    { static_ips: string[]; static_mac: string; aliases: string[]; interface_name: string }
  >;
  network_info: Record<string, NetavarkNetwork>;
}

/** One published port as netavark takes it (`host_ip` '' = every host address). */
export interface NetavarkPort {
  host_ip: string;
  container_port: number;
  host_port: number;
  range: number;
  protocol: 'tcp' | 'udp';
}

/** A network as netavark takes it. */
export interface NetavarkNetwork {
  name: string;
  id: string;
  driver: 'bridge';
  network_interface: string;
  subnets: Array<{ subnet: string; gateway: string }>;
  ipv6_enabled: boolean;
  internal: boolean;
  dns_enabled: boolean;
  options: Record<string, string>;
}

/**
 * Netavark names its per-network chains after a hash of the network's name, so networks are
 * named by their ID: two engines may each have a `bridge` network, never the same ID.
 */
function netavarkName(n: NetworkRecord): string {
  return n.Id;
}

/** A network's description; `index` orders default routes (the primary network's is preferred). */
function netavarkNetwork(n: NetworkRecord, index: number): NetavarkNetwork {
  const { mtu } = bridgeOptions(n);
  const subnets = [{ subnet: canonical(n.subnet), gateway: n.gateway }];
  if (n.subnet6 && n.gateway6) subnets.push({ subnet: n.subnet6, gateway: n.gateway6 });
  return {
    name: netavarkName(n),
    id: n.Id,
    driver: 'bridge',
    network_interface: n.bridge,
    subnets,
    ipv6_enabled: Boolean(n.subnet6),
    internal: n.Internal,
    // The engine's own resolver serves names (it can keep forwarding off; aardvark-dns cannot).
    dns_enabled: false,
    options: { isolate: 'true', metric: String(100 + index), ...(mtu ? { mtu: String(mtu) } : {}) },
  };
}

/** A subnet in the network-address form netavark requires (`10.1.2.0/24`, not `10.1.2.3/24`). */
function canonical(cidr: string): string {
  return formatCidr(parseCidr(cidr));
}

/**
 * The published ports netavark DNATs: `0.0.0.0` is every address ('' to netavark, which adds the
 * IPv6 twin itself when the container has an IPv6 address); IPv6 host addresses only reach a
 * container with an IPv6 address, and never `::1` or `::` (the engine's socket forwards those,
 * as docker-proxy would, since the kernel will not route a loopback source out of `lo`).
 */
export function netavarkPorts(ports: PortMapping[], hasIpv6: boolean): NetavarkPort[] {
  const out = new Map<string, NetavarkPort>();
  for (const p of ports) {
    const v6 = p.hostIp.includes(':');
    if (v6 && (!hasIpv6 || p.hostIp === '::1' || p.hostIp === '::')) continue;
    const hostIp = p.hostIp === '0.0.0.0' || p.hostIp === '' ? '' : p.hostIp;
    const port = {
      host_ip: hostIp,
      container_port: p.containerPort,
      host_port: p.hostPort,
      range: 1,
      protocol: p.proto,
    };
    out.set(`${p.proto}/${hostIp}/${p.hostPort}`, port);
  }
  return [...out.values()];
}

/**
 * The options for `endpoints` of `ctr` (all of them at start; one on a connect or disconnect);
 * `ports` only for the call that carries the container's published network.
 */
export function netavarkOptions(
  ctr: AttachedContainer,
  endpoints: Array<{ ep: EndpointRecord; network: NetworkRecord; index: number }>,
  ports: PortMapping[],
): NetavarkOptions {
  const options: NetavarkOptions = {
    container_id: ctr.id,
    container_name: ctr.name,
    port_mappings: netavarkPorts(
      ports,
      endpoints.some((e) => e.ep.ip6),
    ),
    networks: {},
    network_info: {},
  };
  for (const { ep, network, index } of endpoints) {
    const name = netavarkName(network);
    options.networks[name] = {
      static_ips: [ep.ip, ...(ep.ip6 ? [ep.ip6] : [])],
      static_mac: ep.mac,
      aliases: ep.aliases,
      interface_name: ep.ifname,
    };
    options.network_info[name] = netavarkNetwork(network, index);
  }
  return options;
}

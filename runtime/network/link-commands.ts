import { formatIp, parseCidr, parseIp } from './ipam.js';
import { prefix6 } from './network-ipv6.js';
import { bridgeOptions } from './network-records.js';
import type { NetworkRecord } from './network-state.js';

/**
 * `ip -batch` scripts as data for the bridges the engine owns while their networks exist
 * (netavark plumbs the containers' interfaces). Each list runs as ONE `ip` process.
 */

/** A batch of `ip` commands, run in the host namespace. */
export interface IpBatch {
  lines: string[];
}

/** The prefix length of a network's subnet. */
function prefixOf(network: NetworkRecord): number {
  return parseCidr(network.subnet).prefix;
}

/** Creates a network's bridge with its gateway address (idempotent when `replace` is used). */
export function bridgeUp(network: NetworkRecord): IpBatch {
  return {
    lines: [
      `link add ${network.bridge} type bridge`,
      `link set ${network.bridge} address ${bridgeMac(network.Id)}`,
      `addr replace ${network.gateway}/${prefixOf(network)} dev ${network.bridge}`,
      ...mtuLines(network, network.bridge),
      `link set ${network.bridge} up`,
      `link add ${keeperName(network)}${mtuArg(network)} type veth peer name ${keeperName(network)}p${mtuArg(network)}`,
      `link set ${keeperName(network)} master ${network.bridge}`,
      `link set ${keeperName(network)} up`,
    ],
  };
}

/**
 * The bridge's keeper: a veth end of the engine's own enslaved to it for as long as the network
 * exists. Netavark treats a bridge with no port left as unused and deletes it with the network's
 * rules on the last container's teardown, then creates them all again on the next setup; with the
 * keeper, a container's setup and teardown touch only its own interface and ports (40 / 10 ms
 * instead of 90 / 320 ms), and the network's bridge and rules live as long as the network, as in
 * Docker. The engine removes them with the network.
 */
export function keeperName(network: NetworkRecord): string {
  return `bk${network.Id.slice(0, 10)}`;
}

/** ` mtu N` when the network sets one. */
function mtuArg(network: NetworkRecord): string {
  const { mtu } = bridgeOptions(network);
  return mtu ? ` mtu ${mtu}` : '';
}

/**
 * The bridge's own MAC address, fixed (as dockerd fixes it): left to the kernel, a bridge takes
 * the lowest MAC of its ports and changes it as containers come and go, and containers that
 * cached the gateway's old MAC lose their DNS and default route until their ARP entry expires.
 * Derived from the network ID, so a bridge netavark deleted comes back with the same one.
 */
export function bridgeMac(networkId: string): string {
  const bytes = (
    networkId
      .replace(/[^0-9a-f]/gi, '')
      .padEnd(10, '0')
      .match(/../g) ?? []
  ).slice(0, 5);
  return ['02', ...bytes].join(':').toLowerCase();
}

/** `link set <dev> mtu N` when the network sets one. */
function mtuLines(network: NetworkRecord, dev: string): string[] {
  const { mtu } = bridgeOptions(network);
  return mtu ? [`link set ${dev} mtu ${mtu}`] : [];
}

/**
 * The bridge's IPv6 gateway address, added once the bridge has IPv6 enabled (a sysctl between
 * {@link bridgeUp} and this batch). `nodad`: the gateway is ours, there is nothing to detect.
 */
export function bridgeUp6(network: NetworkRecord): IpBatch {
  if (!network.gateway6) return { lines: [] };
  return { lines: [`addr replace ${network.gateway6}/${prefix6(network)} dev ${network.bridge} nodad`] };
}

/** Removes a bridge and its keeper (containers' veths must already be gone). */
export function bridgeDown(network: NetworkRecord): IpBatch {
  return { lines: [`link del ${keeperName(network)}`, `link del ${network.bridge}`] };
}

/** A MAC address derived from the IP, as Docker does (`02:42:` + the four address bytes). */
export function macFor(ip: string): string {
  const value = parseIp(ip);
  const bytes = formatIp(value)
    .split('.')
    .map((b) => Number(b).toString(16).padStart(2, '0'));
  return ['02', '42', ...bytes].join(':');
}

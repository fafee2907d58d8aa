import { formatIp, parseCidr, parseIp } from './ipam.js';
import { prefix6 } from './network-ipv6.js';
import { bridgeOptions } from './network-records.js';
import type { EndpointRecord, NetworkRecord } from './network-state.js';

/**
 * `ip -batch` scripts as data. Each list runs as ONE `ip` process (in the host namespace or,
 * with `-n`, in the container's), which keeps container network setup to a few forks.
 */

/** A batch of `ip` commands, run in the host namespace or (through nsenter) in the namespace file `netns`. */
export interface IpBatch {
  netns?: string;
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
      `addr replace ${network.gateway}/${prefixOf(network)} dev ${network.bridge}`,
      ...mtuLines(network, network.bridge),
      `link set ${network.bridge} up`,
    ],
  };
}

/** ` mtu N` when the network sets one. */
function mtuArg(network: NetworkRecord): string {
  const { mtu } = bridgeOptions(network);
  return mtu ? ` mtu ${mtu}` : '';
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

/** An endpoint's IPv6 address line (`nodad`: addresses are assigned by the engine, never duplicated). */
function addr6Lines(network: NetworkRecord, ep: EndpointRecord): string[] {
  return ep.ip6 ? [`addr add ${ep.ip6}/${prefix6(network)} dev ${ep.ifname} nodad`] : [];
}

/** The default routes through `v4`'s and `v6`'s gateways (each may be absent). */
function defaultRoutes(
  v4: { network: NetworkRecord; ep: EndpointRecord } | undefined,
  v6: { network: NetworkRecord; ep: EndpointRecord } | undefined,
): string[] {
  const lines: string[] = [];
  if (v4) lines.push(`route replace default via ${v4.network.gateway} dev ${v4.ep.ifname}`);
  if (v6?.network.gateway6)
    lines.push(`route replace default via ${v6.network.gateway6} dev ${v6.ep.ifname}`);
  return lines;
}

/** Removes a bridge (its enslaved veths must already be gone). */
export function bridgeDown(network: NetworkRecord): IpBatch {
  return { lines: [`link del ${network.bridge}`] };
}

/** A MAC address derived from the IP, as Docker does (`02:42:` + the four address bytes). */
export function macFor(ip: string): string {
  const value = parseIp(ip);
  const bytes = formatIp(value)
    .split('.')
    .map((b) => Number(b).toString(16).padStart(2, '0'));
  return ['02', '42', ...bytes].join(':');
}

/** The host-side veth name for a container's n-th interface (15 characters at most). */
export function hostVethName(containerId: string, index: number): string {
  return `bv${containerId.slice(0, 10)}${index.toString(36)}`;
}

/** Host side of an endpoint: the veth pair, its peer moved into the namespace, hairpin on. */
export function endpointHostSide(network: NetworkRecord, ep: EndpointRecord, netns: string): IpBatch {
  return {
    lines: [
      `link add ${ep.hostVeth}${mtuArg(network)} type veth peer name ${ep.hostVeth}p${mtuArg(network)} netns ${netns}`,
      `link set ${ep.hostVeth} master ${network.bridge}`,
      `link set ${ep.hostVeth} type bridge_slave hairpin on`,
      `link set ${ep.hostVeth} up`,
    ],
  };
}

/**
 * Container side: rename the peer, address it, bring it up; `routes` says whether the default
 * IPv4 and IPv6 routes go through this endpoint's network.
 */
export function endpointContainerSide(
  network: NetworkRecord,
  ep: EndpointRecord,
  netns: string,
  routes: { v4: boolean; v6: boolean },
): IpBatch {
  const lines = [
    `link set ${ep.hostVeth}p name ${ep.ifname}`,
    `link set ${ep.ifname} address ${ep.mac}`,
    `addr add ${ep.ip}/${prefixOf(network)} dev ${ep.ifname}`,
    ...addr6Lines(network, ep),
    `link set ${ep.ifname} up`,
    'link set lo up',
    ...defaultRoutes(routes.v4 ? { network, ep } : undefined, routes.v6 ? { network, ep } : undefined),
  ];
  return { netns, lines };
}

/**
 * A new namespace's first setup, run by the `ip` that `unshare` starts inside it: loopback up, and
 * for each endpoint the veth pair made from inside (its host end sent to `hostNetns`), addressed
 * and up, with the default routes through `routed`'s gateway and `routed6`'s IPv6 gateway. One
 * fork for the whole container side.
 */
export function namespaceSetup(
  endpoints: Array<{ network: NetworkRecord; ep: EndpointRecord }>,
  hostNetns: string,
  routed: EndpointRecord | undefined,
  routed6?: EndpointRecord,
): string[] {
  const lines = ['link set lo up'];
  for (const { network, ep } of endpoints) {
    const mtu = mtuArg(network);
    lines.push(
      `link add ${ep.ifname}${mtu} type veth peer name ${ep.hostVeth}${mtu} netns ${hostNetns}`,
      `link set ${ep.ifname} address ${ep.mac}`,
      `addr add ${ep.ip}/${prefixOf(network)} dev ${ep.ifname}`,
      ...addr6Lines(network, ep),
      `link set ${ep.ifname} up`,
    );
  }
  lines.push(
    ...defaultRoutes(
      endpoints.find((e) => e.ep === routed),
      routed6 ? endpoints.find((e) => e.ep === routed6) : undefined,
    ),
  );
  return lines;
}

/** The host end of veths made by {@link namespaceSetup}: onto the bridge, hairpin on, up. */
export function hostEndsUp(endpoints: Array<{ network: NetworkRecord; ep: EndpointRecord }>): IpBatch {
  return {
    lines: endpoints.flatMap(({ network, ep }) => [
      `link set ${ep.hostVeth} master ${network.bridge}`,
      `link set ${ep.hostVeth} type bridge_slave hairpin on`,
      `link set ${ep.hostVeth} up`,
    ]),
  };
}

/** Removes an endpoint's veth pair (deleting one end deletes both). */
export function endpointDown(ep: EndpointRecord): IpBatch {
  return { lines: [`link del ${ep.hostVeth}`] };
}

/** The command and arguments that run a batch (its lines go to stdin). */
export function batchCommand(batch: IpBatch): [string, string[]] {
  return batch.netns ? ['nsenter', [`--net=${batch.netns}`, 'ip', '-batch', '-']] : ['ip', ['-batch', '-']];
}

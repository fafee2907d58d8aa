import { formatIp, parseCidr, parseIp } from './ipam.js';
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

/** Container side: rename the peer, address it, bring it up; `gateway` adds the default route. */
export function endpointContainerSide(
  network: NetworkRecord,
  ep: EndpointRecord,
  netns: string,
  withDefaultRoute: boolean,
): IpBatch {
  const lines = [
    `link set ${ep.hostVeth}p name ${ep.ifname}`,
    `link set ${ep.ifname} address ${ep.mac}`,
    `addr add ${ep.ip}/${prefixOf(network)} dev ${ep.ifname}`,
    `link set ${ep.ifname} up`,
    'link set lo up',
  ];
  if (withDefaultRoute) lines.push(`route replace default via ${network.gateway} dev ${ep.ifname}`);
  return { netns, lines };
}

/**
 * A new namespace's first setup, run by the `ip` that `unshare` starts inside it: loopback up, and
 * for each endpoint the veth pair made from inside (its host end sent to `hostNetns`), addressed
 * and up, with the default route through `routed`'s gateway. One fork for the whole container side.
 */
export function namespaceSetup(
  endpoints: Array<{ network: NetworkRecord; ep: EndpointRecord }>,
  hostNetns: string,
  routed: EndpointRecord | undefined,
): string[] {
  const lines = ['link set lo up'];
  for (const { network, ep } of endpoints) {
    const mtu = mtuArg(network);
    lines.push(
      `link add ${ep.ifname}${mtu} type veth peer name ${ep.hostVeth}${mtu} netns ${hostNetns}`,
      `link set ${ep.ifname} address ${ep.mac}`,
      `addr add ${ep.ip}/${prefixOf(network)} dev ${ep.ifname}`,
      `link set ${ep.ifname} up`,
    );
  }
  const net = endpoints.find((e) => e.ep === routed)?.network;
  if (routed && net) lines.push(`route replace default via ${net.gateway} dev ${routed.ifname}`);
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

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ContainerNetworkView, NetworkAttachment } from '../contracts.js';
import { EngineError, notFound } from '../errors.js';
import { extraHostLines, type HostsLine, parseLink, resolvConf, selfLine } from './etc-files.js';
import { allocateAddress, contains, formatIp, parseCidr, parseIp } from './ipam.js';
import { allocateAddress6, contains6, formatIp6, isV6, parseCidr6, parseIp6 } from './ipam6.js';
import { macFor } from './link-commands.js';
import { plugEndpoints, publishedEndpoint, unplugEndpoints } from './netavark-wiring.js';
import type { NetworkCore } from './network-core.js';
import { ipv6Range } from './network-ipv6.js';
import { findNetwork } from './network-records.js';
import type { AttachedContainer, EndpointConfig, EndpointRecord, NetworkRecord } from './network-state.js';
import { portRequests } from './port-mappings.js';
import type { PublishedAddress } from './port-reservations.js';

/**
 * Wiring containers into networks: which networks a container belongs to (its create config,
 * then API connects/disconnects), and attaching/detaching endpoints in its namespace.
 */

/** Whether a NetworkMode means the default bridge. */
function isDefaultMode(mode: string): boolean {
  return mode === '' || mode === 'default' || mode === 'bridge';
}

/** The networks a container should be on, primary first, with each endpoint's config. */
export function desiredNetworks(
  core: NetworkCore,
  id: string,
  view: ContainerNetworkView | undefined,
): Array<{ network: NetworkRecord; config: EndpointConfig }> {
  const out = new Map<string, { network: NetworkRecord; config: EndpointConfig }>();
  const add = (ref: string, config: EndpointConfig, strict: boolean) => {
    const network = findNetwork(core.state.networks, ref);
    if (!network) {
      if (strict) throw notFound(`network ${ref} not found`);
      return;
    }
    if (network.Driver !== 'bridge') return;
    out.set(network.Id, { network, config: { ...out.get(network.Id)?.config, ...config } });
  };
  if (view) {
    const mode = view.networkMode ?? '';
    if (isDefaultMode(mode)) add('bridge', view.endpoints.bridge ?? {}, true);
    else if (!mode.startsWith('container:') && mode !== 'host' && mode !== 'none')
      add(mode, view.endpoints[mode] ?? {}, true);
    for (const [ref, config] of Object.entries(view.endpoints)) add(ref, config, false);
  }
  const configured = core.state.configured[id];
  for (const [netId, config] of Object.entries(configured?.connected ?? {})) add(netId, config, false);
  for (const netId of configured?.disconnected ?? []) out.delete(netId);
  return [...out.values()];
}

/** Picks an endpoint's address: the requested static one (validated) or the next free one. */
function chooseAddress(core: NetworkCore, n: NetworkRecord, config: EndpointConfig): string {
  const aux = n.IPAM.Config.flatMap((c) => Object.values(c.AuxiliaryAddresses ?? {}));
  const used = new Set([parseIp(n.gateway), ...aux.filter((a) => !a.includes(':')).map(parseIp)]);
  for (const c of Object.values(core.state.attached)) {
    for (const e of c.endpoints) if (e.networkId === n.Id) used.add(parseIp(e.ip));
  }
  const subnet = parseCidr(n.subnet);
  const wanted = config.IPAMConfig?.IPv4Address;
  if (wanted) {
    const ip = parseIp(wanted);
    if (!contains(subnet, ip))
      throw new EngineError('invalid', `no configured subnet contains IP address ${wanted}`);
    if (used.has(ip)) throw new EngineError('conflict', `Address already in use: ${wanted}`);
    return wanted;
  }
  const range = n.IPAM.Config[0]?.IPRange;
  return formatIp(allocateAddress(subnet, used, range ? parseCidr(range) : subnet));
}

/** The endpoint's IPv6 address on a network with one: the static `IPv6Address` or the next free one. */
function chooseAddress6(core: NetworkCore, n: NetworkRecord, config: EndpointConfig): string | undefined {
  if (!n.subnet6 || !n.gateway6) return undefined;
  const aux = n.IPAM.Config.flatMap((c) => Object.values(c.AuxiliaryAddresses ?? {})).filter(isV6);
  const used = new Set([parseIp6(n.gateway6), ...aux.map(parseIp6)]);
  for (const c of Object.values(core.state.attached)) {
    for (const e of c.endpoints) if (e.networkId === n.Id && e.ip6) used.add(parseIp6(e.ip6));
  }
  const subnet = parseCidr6(n.subnet6);
  const wanted = config.IPAMConfig?.IPv6Address;
  if (wanted) {
    const ip = parseIp6(wanted);
    if (!contains6(subnet, ip))
      throw new EngineError('invalid', `no configured subnet contains IP address ${wanted}`);
    if (used.has(ip)) throw new EngineError('conflict', `Address already in use: ${wanted}`);
    return formatIp6(ip);
  }
  return formatIp6(allocateAddress6(subnet, used, ipv6Range(n)));
}

/** A new endpoint record for the container's `index`-th interface. */
export function newEndpoint(
  core: NetworkCore,
  n: NetworkRecord,
  config: EndpointConfig,
  index: number,
): EndpointRecord {
  const ip = chooseAddress(core, n, config);
  const ip6 = chooseAddress6(core, n, config);
  return {
    networkId: n.Id,
    endpointId: randomBytes(32).toString('hex'),
    ifname: `eth${index}`,
    // Named by netavark; recorded once it exists (netavark-wiring.ts).
    hostVeth: '',
    ip,
    ...(ip6 ? { ip6 } : {}),
    mac: macFor(ip),
    aliases: [...(config.Aliases ?? [])],
  };
}

/** Plugs one endpoint into a container whose namespace exists (a connect while it runs). */
export async function wireEndpoint(
  core: NetworkCore,
  ctr: AttachedContainer,
  ep: EndpointRecord,
): Promise<void> {
  await plugEndpoints(core, ctr, [ep], []);
}

/** Unplugs one endpoint (a disconnect while it runs); its ports go with it when it carried them. */
export async function unwireEndpoint(
  core: NetworkCore,
  ctr: AttachedContainer,
  ep: EndpointRecord,
): Promise<void> {
  await unplugEndpoints(core, ctr, [ep], publishedEndpoint(core, ctr) === ep ? ctr.ports : []);
}

/** The /etc/hosts lines and resolv.conf of an attached container. */
export function etcFor(
  core: NetworkCore,
  ctr: AttachedContainer | undefined,
  view: ContainerNetworkView,
): NetworkAttachment {
  const first = ctr?.endpoints[0];
  const firstNet = first ? core.state.networks.find((n) => n.Id === first.networkId) : undefined;
  const bridge = core.state.networks.find((n) => n.Name === 'bridge');
  const hosts: HostsLine[] = [];
  if (first) hosts.push(selfLine(first.ip, view.hostname, view.domainname));
  if (first?.ip6) hosts.push(selfLine(first.ip6, view.hostname, view.domainname));
  hosts.push(...extraHostLines(view.extraHosts ?? [], firstNet?.gateway || bridge?.gateway || '127.0.0.1'));
  for (const link of view.links ?? []) {
    const { name, alias } = parseLink(link);
    const id = core.containers.lookup(name);
    const peer = id ? core.state.attached[id] : undefined;
    const ip =
      peer?.endpoints.find((e) => ctr?.endpoints.some((m) => m.networkId === e.networkId))?.ip ??
      peer?.endpoints[0]?.ip;
    if (ip && peer) hosts.push([ip, ...new Set([alias, peer.name, peer.id.slice(0, 12)])] as HostsLine);
  }
  const userNet = ctr?.endpoints
    .map((e) => core.state.networks.find((n) => n.Id === e.networkId))
    .find((n) => n && !n.predefined);
  const conf = resolvConf({
    embedded: userNet?.gateway,
    hostResolvConf: core.hostResolvConf,
    dns: view.dns ?? [],
    dnsSearch: view.dnsSearch ?? [],
    dnsOptions: view.dnsOptions ?? [],
  });
  return { netnsPath: ctr?.netns || undefined, hosts, resolvConf: conf };
}

/** Wires a bridged container: ports first (a conflict leaves nothing behind), then namespace and veths. */
export async function attachBridged(
  core: NetworkCore,
  view: ContainerNetworkView,
): Promise<NetworkAttachment> {
  const nets = desiredNetworks(core, view.id, view);
  const ctr: AttachedContainer = {
    id: view.id,
    name: view.name.replace(/^\//, ''),
    hostname: view.hostname,
    mode: 'bridge',
    netns: join(core.netnsDir, view.id),
    service: view.labels['com.docker.compose.service'],
    dns: view.dns?.length ? [...view.dns] : undefined,
    endpoints: [],
    ports: [],
  };
  for (const [i, { network, config }] of nets.entries())
    ctr.endpoints.push(newEndpoint(core, network, config, i));
  const requests = portRequests(view.portBindings, view.publishAllPorts, view.exposedPorts);
  // Like Docker, a container only on internal networks publishes nothing.
  const routed = publishedEndpoint(core, ctr) !== undefined;
  try {
    ctr.ports = routed ? await core.ports.reserve(requests, publishedAddress(core, ctr)) : [];
  } catch (err) {
    const epId = ctr.endpoints[0]?.endpointId ?? '';
    throw new EngineError(
      'internal',
      `driver failed programming external connectivity on endpoint ${ctr.name} (${epId}): ${(err as Error).message}`,
    );
  }
  core.state.attached[ctr.id] = ctr;
  await core.save();
  try {
    await core.plumbing.createNetns(
      ctr.netns,
      ['link set lo up'],
      ctr.endpoints.some((e) => e.ip6) ? CONTAINER_SYSCTLS_V6 : [],
    );
    await plugEndpoints(core, ctr, ctr.endpoints, ctr.ports);
    await core.syncFirewall();
  } catch (err) {
    await core.teardown(ctr);
    await core.syncFirewall();
    throw new EngineError(
      'internal',
      `failed to set up networking for ${ctr.name}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  core.emitEndpoints('connect', ctr);
  return etcFor(core, ctr, view);
}

/**
 * Set in a new namespace before its interfaces exist, so they inherit them: IPv6 on, and no
 * duplicate address detection (the engine hands out the addresses; DAD would hold the link-local
 * address tentative for a second).
 */
const CONTAINER_SYSCTLS_V6: Array<[string, string]> = [
  ['net/ipv6/conf/default/disable_ipv6', '0'],
  ['net/ipv6/conf/default/accept_dad', '0'],
];

/** The addresses published ports reach. */
export function publishedAddress(core: NetworkCore, ctr: AttachedContainer): PublishedAddress | undefined {
  const ep = publishedEndpoint(core, ctr);
  return ep ? { ip: ep.ip, ip6: ep.ip6 } : undefined;
}

/** After a restart: the published ports of containers that kept running are held again. */
export async function holdPortsAgain(core: NetworkCore): Promise<void> {
  for (const ctr of Object.values(core.state.attached)) {
    const held = await core.ports
      .reserve(
        ctr.ports.map((p) => ({ ...p, first: p.hostPort, last: p.hostPort })),
        publishedAddress(core, ctr),
      )
      .catch((err) =>
        core.ctx.log('warn', 'could not hold published ports again', { id: ctr.id, error: String(err) }),
      );
    if (held) ctr.ports = held;
  }
}

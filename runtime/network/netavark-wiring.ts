import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { keeperName } from './link-commands.js';
import { netavarkOptions } from './netavark-options.js';
import type { NetworkCore } from './network-core.js';
import type { AttachedContainer, EndpointRecord, NetworkRecord, PortMapping } from './network-state.js';

/**
 * Plugging a container's endpoints in and out through netavark. The published ports travel with
 * the container's published endpoint only (netavark would DNAT them to every network it is given
 * in one call), so a container on several networks takes two calls: that endpoint with its
 * ports, then the others.
 */

/** The endpoint on the container's first non-internal network (default route, published ports). */
export function publishedEndpoint(core: NetworkCore, ctr: AttachedContainer): EndpointRecord | undefined {
  return ctr.endpoints.find((e) => !core.state.networks.find((n) => n.Id === e.networkId)?.Internal);
}

/** The netavark calls for `eps` of `ctr`: each with its endpoints and the ports it carries. */
function calls(
  core: NetworkCore,
  ctr: AttachedContainer,
  eps: EndpointRecord[],
  ports: PortMapping[],
): Array<{ eps: EndpointRecord[]; ports: PortMapping[] }> {
  const pub = publishedEndpoint(core, ctr);
  if (!ports.length || !pub || !eps.includes(pub) || eps.length === 1)
    return [{ eps, ports: pub && eps.includes(pub) ? ports : [] }];
  return [
    { eps: [pub], ports },
    { eps: eps.filter((e) => e !== pub), ports: [] },
  ];
}

/** The options of one call (network records looked up, route metrics from interface order). */
function optionsFor(core: NetworkCore, ctr: AttachedContainer, eps: EndpointRecord[], ports: PortMapping[]) {
  const endpoints = eps.flatMap((ep) => {
    const network = core.state.networks.find((n) => n.Id === ep.networkId);
    return network ? [{ ep, network, index: ctr.endpoints.indexOf(ep) }] : [];
  });
  return netavarkOptions(ctr, endpoints, ports);
}

/**
 * Creates `eps` of `ctr` (its namespace exists) with netavark, then turns hairpin on for their
 * host ends (a container reaching its own published port through a host address) and records
 * their names: the ends on each bridge that no other endpoint of this engine holds.
 */
export async function plugEndpoints(
  core: NetworkCore,
  ctr: AttachedContainer,
  eps: EndpointRecord[],
  ports: PortMapping[],
): Promise<void> {
  for (const call of calls(core, ctr, eps, ports))
    await core.netavark.setup(ctr.netns, optionsFor(core, ctr, call.eps, call.ports));
  const held = new Set(Object.values(core.state.attached).flatMap((c) => c.endpoints.map((e) => e.hostVeth)));
  const lines: string[] = [];
  for (const ep of eps) {
    const n = core.state.networks.find((x) => x.Id === ep.networkId);
    if (!n) continue;
    const ends = await readdir(`/sys/class/net/${n.bridge}/brif`).catch(() => [] as string[]);
    const mine = ends.find((e) => !held.has(e) && e !== keeperName(n));
    if (!mine) continue;
    ep.hostVeth = mine;
    held.add(mine);
    lines.push(`link set ${mine} type bridge_slave hairpin on`);
  }
  if (lines.length) await core.plumbing.ip({ lines });
  await core.save();
}

/**
 * Removes `eps` of `ctr` with netavark (failures are logged: the namespace may be gone with its
 * interfaces). Bridges keep their keeper port, so netavark leaves them; one deleted anyway (its
 * keeper removed by hand) is recreated for a network that still exists.
 */
export async function unplugEndpoints(
  core: NetworkCore,
  ctr: AttachedContainer,
  eps: EndpointRecord[],
  ports: PortMapping[],
): Promise<void> {
  if (!ctr.netns || !eps.length) return;
  for (const call of calls(core, ctr, eps, ports)) {
    const failed = await core.netavark.teardown(ctr.netns, optionsFor(core, ctr, call.eps, call.ports));
    if (failed) core.ctx.log('warn', 'netavark teardown failed', { id: ctr.id, error: failed });
  }
  const networks = new Set(eps.map((e) => e.networkId));
  const gone: NetworkRecord[] = core
    .bridges()
    .filter((n) => networks.has(n.Id) && !existsSync(`/sys/class/net/${n.bridge}`));
  for (const n of gone) await core.ensureBridge(n, true);
}

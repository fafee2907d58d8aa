import type { ContainerNetworkView } from '../contracts.js';
import { desiredNetworks } from './endpoints.js';
import type { NetworkCore } from './network-core.js';
import { findNetwork } from './network-records.js';
import { endpointView, portsView } from './network-views.js';

/**
 * A container's `NetworkSettings` for inspect: its attached endpoints (addresses, ports) and the
 * networks it is configured on but not yet attached to (created containers, which compose inspects).
 */
export function containerSettings(
  core: NetworkCore,
  containerId: string,
  view: ContainerNetworkView | undefined,
): Record<string, unknown> {
  const ctr = core.state.attached[containerId];
  const networks: Record<string, unknown> = {};
  const hostname = view?.hostname ?? ctr?.hostname ?? '';
  if (ctr && ctr.mode !== 'bridge') {
    const special = findNetwork(core.state.networks, ctr.mode === 'host' ? 'host' : 'none');
    if (special) networks[special.Name] = endpointView(special, undefined, {}, containerId, hostname);
  } else if (!ctr && view && /^(host|none)$/.test(view.networkMode)) {
    const special = findNetwork(core.state.networks, view.networkMode);
    if (special) networks[special.Name] = endpointView(special, undefined, {}, containerId, hostname);
  } else {
    const wanted = configuredNetworks(core, containerId, view);
    for (const ep of ctr?.endpoints ?? []) {
      const n = core.state.networks.find((x) => x.Id === ep.networkId);
      if (n && !wanted.some((w) => w.network.Id === n.Id))
        wanted.push({ network: n, config: { Aliases: ep.aliases } });
    }
    for (const { network, config } of wanted)
      networks[network.Name] = endpointView(network, ctr, config, containerId, hostname);
  }
  const primary = ctr?.endpoints[0];
  const primaryNet = primary ? core.state.networks.find((n) => n.Id === primary.networkId) : undefined;
  const running = Boolean(ctr);
  return {
    Bridge: '',
    SandboxID: ctr?.netns ? containerId : '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: running ? portsView(ctr?.ports ?? [], view?.exposedPorts ?? []) : {},
    SandboxKey: ctr?.netns ?? '',
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: primary?.endpointId ?? '',
    Gateway: primaryNet?.predefined ? primaryNet.gateway : '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: primaryNet?.predefined ? (primary?.ip ?? '') : '',
    IPPrefixLen: primaryNet?.predefined ? Number(primaryNet.subnet.split('/')[1]) : 0,
    IPv6Gateway: '',
    MacAddress: primaryNet?.predefined ? (primary?.mac ?? '') : '',
    Networks: networks,
  };
}

/** The networks a container is configured on; a network removed since then is simply not shown. */
function configuredNetworks(core: NetworkCore, containerId: string, view: ContainerNetworkView | undefined) {
  try {
    return desiredNetworks(core, containerId, view);
  } catch {
    return [];
  }
}

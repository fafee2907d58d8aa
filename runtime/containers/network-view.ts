import type { ContainerNetworkView } from '../contracts.js';
import type { ContainerRecord } from './container-record.js';

/** What the network subsystem sees of a container (pure). */
export function networkView(c: ContainerRecord): ContainerNetworkView {
  const endpoints: ContainerNetworkView['endpoints'] = {};
  for (const [name, ep] of Object.entries(c.NetworkingConfig.EndpointsConfig ?? {})) {
    endpoints[name] = {
      ...(ep?.Aliases ? { Aliases: ep.Aliases } : {}),
      ...(ep?.IPAMConfig ? { IPAMConfig: ep.IPAMConfig } : {}),
    };
  }
  const bindings: ContainerNetworkView['portBindings'] = {};
  for (const [port, list] of Object.entries(c.HostConfig.PortBindings ?? {})) bindings[port] = list ?? [];
  return {
    id: c.Id,
    name: c.Name.slice(1),
    hostname: c.Config.Hostname ?? c.Id.slice(0, 12),
    domainname: c.Config.Domainname || undefined,
    networkMode: c.HostConfig.NetworkMode || 'default',
    endpoints,
    portBindings: bindings,
    publishAllPorts: !!c.HostConfig.PublishAllPorts,
    exposedPorts: Object.keys(c.Config.ExposedPorts ?? {}),
    extraHosts: c.HostConfig.ExtraHosts ?? [],
    links: c.HostConfig.Links ?? [],
    dns: c.HostConfig.Dns ?? [],
    dnsSearch: c.HostConfig.DnsSearch ?? [],
    dnsOptions: c.HostConfig.DnsOptions ?? [],
    labels: c.Config.Labels ?? {},
  };
}

import type {
  AttachedContainer,
  EndpointConfig,
  NetworkRecord,
  NetworkState,
  PortMapping,
} from './network-state.js';

/**
 * The API's JSON views of networks and of a container's network settings, and the `/networks`
 * list filters: pure functions of the state.
 */

/** The prefix length of a CIDR text. */
function prefixLen(cidr: string): string {
  return cidr.split('/')[1] ?? '32';
}

/** `GET /networks/{id}` (and each item of the list, whose `Containers` Docker leaves empty). */
export function networkView(
  state: NetworkState,
  n: NetworkRecord,
  withContainers = true,
): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  if (withContainers) {
    for (const ctr of Object.values(state.attached)) {
      for (const ep of ctr.endpoints.filter((e) => e.networkId === n.Id)) {
        containers[ctr.id] = {
          Name: ctr.name,
          EndpointID: ep.endpointId,
          MacAddress: ep.mac,
          IPv4Address: `${ep.ip}/${prefixLen(n.subnet)}`,
          IPv6Address: ep.ip6 && n.subnet6 ? `${ep.ip6}/${prefixLen(n.subnet6)}` : '',
        };
      }
    }
  }
  const { predefined: _p, bridge: _b, subnet: _s, gateway: _g, subnet6: _s6, gateway6: _g6, ...api } = n;
  return {
    ...api,
    Scope: 'local',
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
  };
}

/** Whether a label filter (`key` or `key=value`) matches. */
function labelMatches(labels: Record<string, string>, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq < 0) return filter in labels;
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

/** The `/networks?filters=` predicate (name, id, label, driver, type, scope, dangling). */
export function matchesFilters(
  state: NetworkState,
  n: NetworkRecord,
  filters: Record<string, string[]>,
): boolean {
  const inUse = Object.values(state.attached).some((c) => c.endpoints.some((e) => e.networkId === n.Id));
  const checks: Record<string, (v: string) => boolean> = {
    name: (v) => n.Name.includes(v),
    id: (v) => n.Id.startsWith(v),
    label: (v) => labelMatches(n.Labels, v),
    driver: (v) => n.Driver === v,
    type: (v) => (v === 'builtin' ? n.predefined : v === 'custom' ? !n.predefined : false),
    scope: (v) => v === 'local',
    dangling: (v) => (v === 'true' || v === '1' ? !inUse && !n.predefined : inUse || n.predefined),
  };
  return Object.entries(filters).every(([key, values]) => {
    const check = checks[key];
    return check ? values.some(check) : true;
  });
}

/** Docker's `Ports` map: `{"80/tcp": [{HostIp, HostPort}]}`, exposed-only ports as null. */
export function portsView(ports: PortMapping[], exposed: string[]): Record<string, unknown> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }> | null> = {};
  for (const e of exposed) out[e.includes('/') ? e : `${e}/tcp`] = null;
  for (const p of ports) {
    const key = `${p.containerPort}/${p.proto}`;
    out[key] = [...(out[key] ?? []), { HostIp: p.hostIp, HostPort: String(p.hostPort) }];
  }
  return out;
}

/** `/containers/json` `Ports`: `[{IP, PrivatePort, PublicPort, Type}]`. */
export function listPorts(ports: PortMapping[]): Array<Record<string, unknown>> {
  return ports.map((p) => ({
    IP: p.hostIp,
    PrivatePort: p.containerPort,
    PublicPort: p.hostPort,
    Type: p.proto,
  }));
}

/** One entry of `NetworkSettings.Networks` (an unattached, configured endpoint has no address). */
export function endpointView(
  n: NetworkRecord,
  ctr: AttachedContainer | undefined,
  config: EndpointConfig,
  containerId: string,
  hostname: string,
): Record<string, unknown> {
  const ep = ctr?.endpoints.find((e) => e.networkId === n.Id);
  const aliases = [...(config.Aliases ?? [])];
  // Docker (API < 1.45) appends the short ID and hostname on user networks; compose 1.29 checks for it.
  if (!n.predefined)
    for (const a of [containerId.slice(0, 12), hostname]) if (a && !aliases.includes(a)) aliases.push(a);
  return {
    IPAMConfig: config.IPAMConfig ?? null,
    Links: null,
    Aliases: n.predefined ? null : aliases,
    NetworkID: n.Id,
    EndpointID: ep?.endpointId ?? '',
    Gateway: ep && n.gateway ? n.gateway : '',
    IPAddress: ep?.ip ?? '',
    IPPrefixLen: ep ? Number(prefixLen(n.subnet)) : 0,
    IPv6Gateway: ep?.ip6 && n.gateway6 ? n.gateway6 : '',
    GlobalIPv6Address: ep?.ip6 ?? '',
    GlobalIPv6PrefixLen: ep?.ip6 && n.subnet6 ? Number(prefixLen(n.subnet6)) : 0,
    MacAddress: ep?.mac ?? '',
    DriverOpts: null,
  };
}

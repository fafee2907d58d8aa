/**
 * The network subsystem's persistent state: one JSON document under `<dataRoot>/network/`,
 * always written atomically and always written BEFORE the kernel objects it names are created,
 * so that after a `kill -9` the engine knows every bridge, veth, namespace and rule it may have
 * left behind.
 */

/** One IPAM pool of a network, as the API shows it. */
export interface IpamConfig {
  Subnet?: string;
  Gateway?: string;
  IPRange?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

/** A network: the API fields (echoed exactly as created) plus the engine's own plumbing. */
export interface NetworkRecord {
  Id: string;
  Name: string;
  Created: string;
  Driver: 'bridge' | 'host' | 'null';
  Internal: boolean;
  Attachable: boolean;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: IpamConfig[] };
  Options: Record<string, string>;
  Labels: Record<string, string>;
  /** `bridge`, `host` and `none`: created by the engine, never removed. */
  predefined: boolean;
  /** The Linux bridge (`br-<id12>`, or the default bridge's configured name); '' for host/none. */
  bridge: string;
  /** The allocated subnet and gateway (CIDR and address); '' for host/none. */
  subnet: string;
  gateway: string;
  /** With `EnableIPv6`: the IPv6 subnet and gateway containers get addresses from (absent: IPv4 only). */
  subnet6?: string;
  gateway6?: string;
}

/** A container's interface on one network. */
export interface EndpointRecord {
  networkId: string;
  endpointId: string;
  /** Interface name inside the container (`eth0`, `eth1`, ...). */
  ifname: string;
  /** The host side of the veth pair, enslaved to the network's bridge. */
  hostVeth: string;
  ip: string;
  /** The IPv6 address, on networks with `EnableIPv6`. */
  ip6?: string;
  mac: string;
  /** Configured aliases (the API's `Aliases`, without the implicit short ID). */
  aliases: string[];
}

/** A published port as programmed: one host address and port forwarded to the container. */
export interface PortMapping {
  proto: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
  containerPort: number;
}

/** A container wired by `attach` (its namespace exists until `detach`). */
export interface AttachedContainer {
  id: string;
  name: string;
  hostname: string;
  /** `bridge` (own namespace with interfaces), `none`, `host`, `container` (joined another's). */
  mode: 'bridge' | 'none' | 'host' | 'container';
  /** The bind-mounted namespace file we created ('' when we created none). */
  netns: string;
  /** `container:<id>` mode: the namespace joined (another container's file, or `host`). */
  joins?: string;
  /** The compose service label, for service-name DNS. */
  service?: string;
  /** The container's own `Dns` servers: where the resolver forwards its unknown names. */
  dns?: string[];
  endpoints: EndpointRecord[];
  ports: PortMapping[];
}

/** Endpoint settings a container asked for (create's EndpointsConfig, later connects). */
export interface EndpointConfig {
  Aliases?: string[] | null;
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
}

/** The whole persistent document. */
export interface NetworkState {
  version: 1;
  networks: NetworkRecord[];
  attached: Record<string, AttachedContainer>;
  /** Per container, what the connect and disconnect endpoints changed on top of its create config. */
  configured: Record<string, ConfiguredNetworks>;
}

/** API connects and disconnects of one container, by network ID (they outlive restarts). */
export interface ConfiguredNetworks {
  connected: Record<string, EndpointConfig>;
  disconnected: string[];
}

/** An empty state. */
export function emptyState(): NetworkState {
  return { version: 1, networks: [], attached: {}, configured: {} };
}

/** A container's connects/disconnects record, created empty when missing. */
export function configuredOf(state: NetworkState, id: string): ConfiguredNetworks {
  const existing = state.configured[id];
  if (existing) return existing;
  const fresh: ConfiguredNetworks = { connected: {}, disconnected: [] };
  state.configured[id] = fresh;
  return fresh;
}

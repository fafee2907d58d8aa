import { EngineError, invalid } from '../errors.js';
import {
  type AddressPool,
  allocateSubnet,
  type Cidr,
  contains,
  defaultGateway,
  formatCidr,
  formatIp,
  overlaps,
  parseCidr,
  parseIp,
} from './ipam.js';
import type { Cidr6 } from './ipam6.js';
import { ipv6Side } from './network-ipv6.js';
import type { IpamConfig, NetworkRecord } from './network-state.js';

/**
 * Building network records from `POST /networks/create` bodies and for the predefined networks:
 * validation and subnet choice as pure functions (the caller passes the taken subnets and IDs).
 */

/** The body of `POST /networks/create` (only the fields the engine reads). */
export interface CreateNetworkBody {
  Name?: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Driver?: string; Options?: Record<string, string> | null; Config?: IpamConfig[] | null } | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

/** The IPAM config fields by their lower-cased names. */
const IPAM_FIELDS: Record<string, keyof IpamConfig> = {
  subnet: 'Subnet',
  gateway: 'Gateway',
  iprange: 'IPRange',
  auxiliaryaddresses: 'AuxiliaryAddresses',
};

/**
 * An IPAM config with its fields under their API names. dockerd decodes JSON with Go's
 * case-insensitive field matching, so clients that send `subnet`/`gateway` (compose files'
 * spelling) work there; they work here too. Other keys are dropped, as Go drops them.
 */
export function canonicalIpamConfig(raw: IpamConfig): IpamConfig {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    const field = IPAM_FIELDS[key.toLowerCase()];
    if (field && value !== undefined && value !== null && value !== '') out[field] = value;
  }
  return out as IpamConfig;
}

/** Docker's rule for network names. */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The subnets of existing bridge networks. */
export function networkSubnets(networks: NetworkRecord[]): Cidr[] {
  return networks.filter((n) => n.subnet).map((n) => parseCidr(n.subnet));
}

/** Validates the IPv4 IPAM config a user gave; returns subnet, gateway and range. */
function userPool(config: IpamConfig, taken: Cidr[]): { subnet: Cidr; gateway: number } {
  if (!config.Subnet) throw invalid('IPAM config without a Subnet is not supported');
  const subnet = parseCidr(config.Subnet);
  if (subnet.prefix > 30) throw invalid(`invalid subnet ${config.Subnet}: too small for a network`);
  if (taken.some((t) => overlaps(t, subnet))) {
    throw new EngineError('forbidden', `Pool overlaps with other one on this address space`);
  }
  const gateway = config.Gateway ? parseIp(config.Gateway) : defaultGateway(subnet);
  if (!contains(subnet, gateway)) throw invalid(`no matching subnet for gateway ${config.Gateway}`);
  if (config.IPRange && !contains(subnet, parseCidr(config.IPRange).base)) {
    throw invalid(`no matching subnet for range ${config.IPRange}`);
  }
  return { subnet, gateway };
}

/**
 * A new user network from a create body. `taken` are host routes and existing networks' subnets;
 * the record keeps IPAM as given, with the chosen Subnet/Gateway filled in as Docker shows them.
 */
export function newNetworkRecord(
  body: CreateNetworkBody,
  id: string,
  created: string,
  pools: AddressPool[],
  taken: Cidr[],
  taken6: Cidr6[] = [],
): NetworkRecord {
  const name = body.Name ?? '';
  if (!NAME.test(name))
    throw invalid(`invalid network name "${name}": must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  const driver = body.Driver || 'bridge';
  if (driver === 'host' || driver === 'null') {
    throw new EngineError('forbidden', `only one instance of "${driver}" network is allowed`);
  }
  if (driver !== 'bridge') throw new EngineError('not-found', `plugin "${driver}" not found`);
  const configs = (body.IPAM?.Config ?? []).map(canonicalIpamConfig);
  const given = configs.filter((c) => !c.Subnet?.includes(':'));
  if (given.length > 1) throw invalid('only one IPv4 subnet per network is supported');
  const first = given[0];
  const chosen = first
    ? userPool(first, taken)
    : (() => {
        const subnet = allocateSubnet(pools, taken);
        return { subnet, gateway: defaultGateway(subnet) };
      })();
  const subnet = formatCidr(chosen.subnet);
  const gateway = formatIp(chosen.gateway);
  const ipv6 = configs.filter((c) => c.Subnet?.includes(':'));
  const side6 = ipv6Side(Boolean(body.EnableIPv6), ipv6, taken6);
  return {
    Id: id,
    Name: name,
    Created: created,
    Driver: 'bridge',
    Internal: Boolean(body.Internal),
    Attachable: Boolean(body.Attachable),
    EnableIPv6: Boolean(body.EnableIPv6),
    IPAM: {
      Driver: body.IPAM?.Driver || 'default',
      Options: body.IPAM?.Options ?? null,
      Config: [{ ...first, Subnet: subnet, Gateway: gateway }, ...ipv6],
    },
    Options: body.Options ?? {},
    Labels: body.Labels ?? {},
    predefined: false,
    bridge: body.Options?.['com.docker.network.bridge.name'] || `br-${id.slice(0, 12)}`,
    subnet,
    gateway,
    ...side6,
  };
}

/** The predefined `bridge` network on the given Linux bridge and subnet. */
export function defaultBridgeRecord(
  id: string,
  created: string,
  bridge: string,
  subnet: Cidr,
): NetworkRecord {
  const gateway = formatIp(defaultGateway(subnet));
  return {
    Id: id,
    Name: 'bridge',
    Created: created,
    Driver: 'bridge',
    Internal: false,
    Attachable: false,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: formatCidr(subnet), Gateway: gateway }] },
    Options: {
      'com.docker.network.bridge.default_bridge': 'true',
      'com.docker.network.bridge.enable_icc': 'true',
      'com.docker.network.bridge.enable_ip_masquerade': 'true',
      'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
      'com.docker.network.bridge.name': bridge,
      'com.docker.network.driver.mtu': '1500',
    },
    Labels: {},
    predefined: true,
    bridge,
    subnet: formatCidr(subnet),
    gateway,
  };
}

/** The predefined `host` or `none` network. */
export function specialRecord(id: string, created: string, name: 'host' | 'none'): NetworkRecord {
  return {
    Id: id,
    Name: name,
    Created: created,
    Driver: name === 'host' ? 'host' : 'null',
    Internal: false,
    Attachable: false,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [] },
    Options: {},
    Labels: {},
    predefined: true,
    bridge: '',
    subnet: '',
    gateway: '',
  };
}

/** Finds a network by full ID, exact name, or unique ID prefix (Docker's order). */
export function findNetwork(networks: NetworkRecord[], ref: string): NetworkRecord | undefined {
  const byId = networks.find((n) => n.Id === ref);
  if (byId) return byId;
  const byName = networks.find((n) => n.Name === ref);
  if (byName) return byName;
  const byPrefix = ref ? networks.filter((n) => n.Id.startsWith(ref)) : [];
  return byPrefix.length === 1 ? byPrefix[0] : undefined;
}

/** The bridge driver options Docker documents (`com.docker.network.bridge.*`, `driver.mtu`). */
export interface BridgeOptions {
  /** Containers on the network may talk to each other. */
  icc: boolean;
  /** Outbound traffic is masqueraded. */
  masquerade: boolean;
  /** MTU of the bridge and veths (undefined: the kernel's default, 1500). */
  mtu?: number;
}

/** Reads a network's bridge options (defaults as Docker's). */
export function bridgeOptions(n: NetworkRecord): BridgeOptions {
  const o = n.Options ?? {};
  const mtu = Number(o['com.docker.network.driver.mtu']);
  return {
    icc: o['com.docker.network.bridge.enable_icc'] !== 'false',
    masquerade: o['com.docker.network.bridge.enable_ip_masquerade'] !== 'false',
    mtu: Number.isInteger(mtu) && mtu >= 68 && mtu !== 1500 ? mtu : undefined,
  };
}

import { EngineError } from '../errors.js';
import {
  type Cidr6,
  contains6,
  defaultGateway6,
  formatCidr6,
  formatIp6,
  isV6,
  overlaps6,
  parseCidr6,
  parseIp6,
} from './ipam6.js';
import type { IpamConfig, NetworkRecord } from './network-state.js';

/**
 * A network's IPv6 side, as dockerd 20.10 decides it: with `EnableIPv6` the create body must
 * carry exactly one IPv6 subnet in `IPAM.Config` (no default IPv6 pool is configured), whose
 * gateway is the given one or the subnet's first address. Without `EnableIPv6` an IPv6 config
 * is stored and echoed but unused. Pure; messages and statuses are dockerd's.
 */

/** The chosen IPv6 subnet and gateway (CIDR and address text), or undefined for IPv4 only. */
export interface Ipv6Side {
  subnet6: string;
  gateway6: string;
}

/** Parses a subnet the way dockerd reports a bad one. */
function subnetOf(text: string): Cidr6 {
  try {
    return parseCidr6(text);
  } catch {
    throw new EngineError('invalid', `Invalid subnet ${text} : invalid CIDR address: ${text}`);
  }
}

/** The IPv6 subnets of existing networks (a new one may not overlap them). */
export function networkSubnets6(networks: NetworkRecord[]): Cidr6[] {
  return networks.filter((n) => n.subnet6).map((n) => parseCidr6(n.subnet6 as string));
}

/** Validates and chooses a new network's IPv6 subnet and gateway; `taken` are other networks'. */
export function ipv6Side(enable: boolean, configs: IpamConfig[], taken: Cidr6[]): Ipv6Side | undefined {
  if (!enable) return undefined;
  const given = configs.filter((c) => isV6(c.Subnet));
  if (given.length > 1) throw new EngineError('forbidden', "bridge driver doesn't support multiple subnets");
  const config = given[0];
  if (!config?.Subnet) {
    throw new EngineError(
      'not-found',
      'could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network',
    );
  }
  const subnet = subnetOf(config.Subnet);
  if (taken.some((t) => overlaps6(t, subnet))) {
    throw new EngineError('forbidden', 'Pool overlaps with other one on this address space');
  }
  const gateway = config.Gateway ? addressIn(subnet, config.Gateway, 'gateway') : defaultGateway6(subnet);
  if (config.IPRange) {
    const range = subnetOf(config.IPRange);
    if (!contains6(subnet, range.base) || range.prefix < subnet.prefix)
      throw new EngineError('invalid', `no matching subnet for range ${config.IPRange}`);
  }
  return { subnet6: formatCidr6(subnet), gateway6: formatIp6(gateway) };
}

/** A gateway or static address that must lie inside `subnet`. */
function addressIn(subnet: Cidr6, text: string, what: 'gateway'): bigint {
  let ip: bigint;
  try {
    ip = parseIp6(text);
  } catch {
    throw new EngineError('invalid', `failed to allocate ${what} (${text}): invalid IPv6 address`);
  }
  if (!contains6(subnet, ip))
    throw new EngineError(
      'invalid',
      `failed to allocate ${what} (${text}): Requested address is out of range`,
    );
  return ip;
}

/** The IPv6 range addresses are drawn from (the config's IPRange, else the subnet). */
export function ipv6Range(n: NetworkRecord): Cidr6 | undefined {
  if (!n.subnet6) return undefined;
  const range = n.IPAM.Config.find((c) => isV6(c.Subnet))?.IPRange;
  return range ? parseCidr6(range) : parseCidr6(n.subnet6);
}

/** The prefix length of a network's IPv6 subnet (0 without one). */
export function prefix6(n: NetworkRecord): number {
  return n.subnet6 ? parseCidr6(n.subnet6).prefix : 0;
}

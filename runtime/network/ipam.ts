import { EngineError, invalid } from '../errors.js';

/**
 * IPv4 address management as pure functions: CIDR parsing, subnet allocation from address pools
 * (avoiding every subnet already routed on the host or used by another network), and address
 * allocation inside a subnet. The engine persists the results; nothing here touches the machine.
 */

/** A parsed IPv4 CIDR. `base` is the network address as an unsigned 32-bit number. */
export interface Cidr {
  base: number;
  prefix: number;
}

/** Parses a dotted quad; throws `invalid` naming the input when malformed. */
export function parseIp(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw invalid(`invalid IPv4 address: ${text}`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Formats an unsigned 32-bit number as a dotted quad. */
export function formatIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/n` (a bare address is a /32); the base is masked to the network address. */
export function parseCidr(text: string): Cidr {
  const [addr, bits = '32', extra] = text.split('/');
  if (extra !== undefined || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) {
    throw invalid(`invalid CIDR address: ${text}`);
  }
  const prefix = Number(bits);
  return { base: mask(parseIp(addr ?? ''), prefix), prefix };
}

/** Formats a CIDR as `a.b.c.d/n`. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.base)}/${cidr.prefix}`;
}

/** The number of addresses in a CIDR. */
export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** The address with its host bits cleared. */
export function mask(ip: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return ip - (ip % size);
}

/** Whether the address lies inside the CIDR. */
export function contains(cidr: Cidr, ip: number): boolean {
  return mask(ip, cidr.prefix) === cidr.base;
}

/** Whether two CIDRs share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return mask(a.base, prefix) === mask(b.base, prefix);
}

/** An address pool as Docker's `default-address-pools`: split `base` into subnets of `size` bits. */
export interface AddressPool {
  base: string;
  size: number;
}

/** Docker's default pools (libnetwork ipamutils): 172.17–31 as /16s, then 192.168/16 as /20s. */
export const DEFAULT_POOLS: AddressPool[] = [
  { base: '172.17.0.0/16', size: 16 },
  { base: '172.18.0.0/16', size: 16 },
  { base: '172.19.0.0/16', size: 16 },
  { base: '172.20.0.0/14', size: 16 },
  { base: '172.24.0.0/14', size: 16 },
  { base: '172.28.0.0/14', size: 16 },
  { base: '192.168.0.0/16', size: 20 },
];

/**
 * The first subnet from the pools that overlaps none of `taken` (host routes and the subnets of
 * existing networks); throws when every pool is exhausted, with Docker's message.
 */
export function allocateSubnet(pools: AddressPool[], taken: Cidr[]): Cidr {
  for (const pool of pools) {
    const range = parseCidr(pool.base);
    if (pool.size < range.prefix || pool.size > 30)
      throw invalid(`invalid address pool size ${pool.size} for ${pool.base}`);
    const step = 2 ** (32 - pool.size);
    for (let base = range.base; base < range.base + cidrSize(range); base += step) {
      const candidate = { base, prefix: pool.size };
      if (!taken.some((t) => overlaps(t, candidate))) return candidate;
    }
  }
  throw invalid(
    'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
  );
}

/** The conventional gateway of a subnet: its first host address. */
export function defaultGateway(subnet: Cidr): number {
  return subnet.base + 1;
}

/**
 * The lowest free host address in `range` (defaults to the whole subnet), skipping the network
 * and broadcast addresses and everything in `used` (the gateway and other endpoints).
 */
export function allocateAddress(subnet: Cidr, used: Set<number>, range: Cidr = subnet): number {
  const first = Math.max(range.base, subnet.base + 1);
  const last = Math.min(range.base + cidrSize(range), subnet.base + cidrSize(subnet) - 1);
  for (let ip = first; ip < last; ip++) {
    if (!used.has(ip)) return ip;
  }
  throw new EngineError(
    'unavailable',
    `no available IPv4 addresses on this network's address pools: ${formatCidr(subnet)}`,
  );
}

/** Parses the IPv4 subnets of `ip -4 route show` output (routes on the host to avoid). */
export function routedSubnets(ipRouteOutput: string): Cidr[] {
  const found: Cidr[] = [];
  for (const line of ipRouteOutput.split('\n')) {
    const dest = line.trim().split(/\s+/)[0];
    if (!dest || dest === 'default' || !/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(dest)) continue;
    found.push(parseCidr(dest));
  }
  return found;
}

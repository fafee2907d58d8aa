import { isIPv6 } from 'node:net';
import { EngineError, invalid } from '../errors.js';

/**
 * IPv6 address management as pure functions, the counterpart of ipam.ts: addresses as 128-bit
 * bigints, CIDRs, RFC 5952 text, and the lowest free address in a subnet or range.
 */

/** A parsed IPv6 CIDR; `base` is the network address with host bits cleared. */
export interface Cidr6 {
  base: bigint;
  prefix: number;
}

const BITS = 128n;

/** Parses an IPv6 address (`::`, embedded IPv4 allowed); throws `invalid` naming the input. */
export function parseIp6(text: string): bigint {
  if (!isIPv6(text) || text.includes('%')) throw invalid(`invalid IPv6 address: ${text}`);
  let head = text;
  let tail4: number[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    tail4 = v4[1].split('.').map(Number);
    head = `${text.slice(0, v4.index)}:${(((tail4[0] ?? 0) << 8) | (tail4[1] ?? 0)).toString(16)}:${(((tail4[2] ?? 0) << 8) | (tail4[3] ?? 0)).toString(16)}`;
  }
  const [left = '', right] = head.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const zeros = right === undefined ? [] : new Array(8 - l.length - r.length).fill('0');
  return [...l, ...zeros, ...r].reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** Formats a 128-bit value in RFC 5952 form (lower case, longest zero run as `::`). */
export function formatIp6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - i * 16)) & 0xffffn));
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** The address with its host bits cleared. */
export function mask6(ip: bigint, prefix: number): bigint {
  const host = BITS - BigInt(prefix);
  return (ip >> host) << host;
}

/** Parses `addr/n` (a bare address is a /128); the base is masked to the network address. */
export function parseCidr6(text: string): Cidr6 {
  const [addr = '', bits = '128', extra] = text.split('/');
  if (extra !== undefined || !/^\d{1,3}$/.test(bits) || Number(bits) > 128) {
    throw invalid(`invalid CIDR address: ${text}`);
  }
  const prefix = Number(bits);
  return { base: mask6(parseIp6(addr), prefix), prefix };
}

/** Formats a CIDR as `addr/n`. */
export function formatCidr6(cidr: Cidr6): string {
  return `${formatIp6(cidr.base)}/${cidr.prefix}`;
}

/** Whether the address lies inside the CIDR. */
export function contains6(cidr: Cidr6, ip: bigint): boolean {
  return mask6(ip, cidr.prefix) === cidr.base;
}

/** Whether two CIDRs share any address. */
export function overlaps6(a: Cidr6, b: Cidr6): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return mask6(a.base, prefix) === mask6(b.base, prefix);
}

/** The conventional gateway of a subnet: its first address after the network address. */
export function defaultGateway6(subnet: Cidr6): bigint {
  return subnet.base + 1n;
}

/**
 * The lowest free address in `range` (default: the subnet), skipping the subnet's own address
 * (the subnet-router anycast) and everything in `used`. Linear in the used addresses, not the
 * subnet size, so a /64 costs nothing.
 */
export function allocateAddress6(subnet: Cidr6, used: Set<bigint>, range: Cidr6 = subnet): bigint {
  const size = 1n << (BITS - BigInt(subnet.prefix));
  const rangeSize = 1n << (BITS - BigInt(range.prefix));
  const first = range.base > subnet.base ? range.base : subnet.base + 1n;
  const end = range.base + rangeSize < subnet.base + size ? range.base + rangeSize : subnet.base + size;
  for (let ip = first; ip < end; ip++) if (!used.has(ip)) return ip;
  throw new EngineError(
    'unavailable',
    `no available IPv6 addresses on this network's address pools: ${formatCidr6(subnet)}`,
  );
}

/** Whether a text is an IPv6 address or CIDR (as opposed to IPv4). */
export function isV6(text: string | undefined): boolean {
  return Boolean(text?.includes(':'));
}

/** The ip6.arpa reverse name's address (`b.a.9.8....ip6.arpa`), or undefined. */
export function reverseAddress6(name: string): string | undefined {
  const m = /^((?:[0-9a-f]\.){32})ip6\.arpa$/.exec(name);
  if (!m?.[1]) return undefined;
  const nibbles = m[1].split('.').filter(Boolean).reverse().join('');
  return formatIp6(BigInt(`0x${nibbles}`));
}

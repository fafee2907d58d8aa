import { invalid } from '../errors.js';

/**
 * Turns a container's `PortBindings`, `PublishAllPorts` and exposed ports into the list of host
 * ports to program: pure, so every form (`80`, `80/udp`, ranges, ephemeral, host addresses) is
 * unit-tested without a kernel.
 */

/** One publication before the host port is chosen: `first..last` (0..0 = ephemeral). */
export interface PortRequest {
  proto: 'tcp' | 'udp';
  hostIp: string;
  first: number;
  last: number;
  containerPort: number;
  /**
   * An empty HostIp: published on every IPv4 address and, as Docker does, on `::` with the same
   * host port where the host has IPv6 (best effort: a host without IPv6 keeps the IPv4 one).
   */
  alsoIpv6?: boolean;
}

/** Parses a port key (`80`, `80/tcp`, `53/udp`); throws `invalid` on anything else. */
export function parsePortKey(key: string): { port: number; proto: 'tcp' | 'udp' } {
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(key.trim());
  const port = Number(m?.[1]);
  if (!m || port < 1 || port > 65535) throw invalid(`invalid port specification: "${key}"`);
  const proto = (m[2] ?? 'tcp').toLowerCase();
  if (proto === 'sctp') throw invalid(`sctp ports are not supported: "${key}"`);
  return { port, proto: proto as 'tcp' | 'udp' };
}

/** Parses a HostPort: '' or '0' (ephemeral), `8080`, or a range `8000-8010`. */
function parseHostPort(text: string | undefined, key: string): [number, number] {
  const value = (text ?? '').trim();
  if (value === '' || value === '0') return [0, 0];
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value);
  const first = Number(m?.[1]);
  const last = m?.[2] ? Number(m[2]) : first;
  if (!m || first < 1 || last > 65535 || last < first)
    throw invalid(`invalid hostPort: ${value} (for ${key})`);
  return [first, last];
}

/** Normalizes a HostIp: empty means every address, IPv4 (`0.0.0.0`) and IPv6 (`::`). */
function hostAddress(text: string | undefined): Pick<PortRequest, 'hostIp' | 'alsoIpv6'> {
  const value = (text ?? '').trim().replace(/^\[|\]$/g, '');
  return value === '' ? { hostIp: '0.0.0.0', alsoIpv6: true } : { hostIp: value };
}

/** The publications asked for, bindings first, then `PublishAllPorts` for the remaining exposed ports. */
export function portRequests(
  bindings: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null>,
  publishAll: boolean,
  exposed: string[],
): PortRequest[] {
  const requests: PortRequest[] = [];
  const bound = new Set<string>();
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const { port, proto } = parsePortKey(key);
    bound.add(`${port}/${proto}`);
    for (const b of list ?? [{}]) {
      const [first, last] = parseHostPort(b.HostPort, key);
      requests.push({ proto, ...hostAddress(b.HostIp), first, last, containerPort: port });
    }
  }
  if (publishAll) {
    for (const key of exposed) {
      const { port, proto } = parsePortKey(key);
      if (bound.has(`${port}/${proto}`)) continue;
      requests.push({ proto, ...hostAddress(''), first: 0, last: 0, containerPort: port });
    }
  }
  return requests;
}

/** Whether a host address is IPv6 (published through the engine rather than DNAT). */
export function isIpv6(address: string): boolean {
  return address.includes(':');
}

/** Docker's ephemeral range for published ports. */
export const EPHEMERAL_FIRST = 49153;
export const EPHEMERAL_LAST = 65535;

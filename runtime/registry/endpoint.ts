import { isIP } from 'node:net';

/** Where the registry that serves a reference's domain is reached. */
export interface RegistryEndpoint {
  /** `https://registry-1.docker.io` or `http://127.0.0.1:5000`. */
  base: URL;
  /** True when the registry is spoken to over plain HTTP. */
  insecure: boolean;
}

/**
 * The endpoint of a registry domain. HTTPS by default; plain HTTP only for loopback registries
 * (`localhost`, 127.0.0.0/8, `::1`) and those listed as insecure (`host`, `host:port`, or a CIDR).
 */
export function registryEndpoint(
  domain: string,
  insecureRegistries: readonly string[] = [],
): RegistryEndpoint {
  const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
  const hostname = hostnameOf(host);
  const insecure =
    isLoopback(hostname) ||
    insecureRegistries.some((entry) => entry === host || entry === hostname || inCidr(hostname, entry));
  return { base: new URL(`${insecure ? 'http' : 'https'}://${host}`), insecure };
}

/** The host part of `host[:port]` or `[v6]:port`, without brackets. */
export function hostnameOf(host: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (v6?.[1]) return v6[1];
  return host.replace(/:\d+$/, '');
}

/** True for `localhost`, 127.0.0.0/8 and `::1`. */
export function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '::1' || (isIP(hostname) === 4 && hostname.startsWith('127.'))
  );
}

function inCidr(hostname: string, cidr: string): boolean {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  if (!m?.[1] || isIP(hostname) !== 4) return false;
  const bits = Number(m[2]);
  if (bits > 32) return false;
  const toInt = (ip: string) => ip.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(hostname) & mask) === (toInt(m[1]) & mask);
}

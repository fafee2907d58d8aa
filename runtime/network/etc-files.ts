import { invalid } from '../errors.js';

/**
 * What goes into a container's /etc/hosts and /etc/resolv.conf, as pure functions of its
 * configuration and addresses.
 */

/** A hosts line: address then names. */
export type HostsLine = [string, ...string[]];

/** Parses `ExtraHosts` entries (`name:ip`, `name=ip`; IPv6 allowed after the first separator). */
export function extraHostLines(extraHosts: string[], hostGateway: string): HostsLine[] {
  return extraHosts.map((entry) => {
    const sep = entry.search(/[:=]/);
    const name = sep > 0 ? entry.slice(0, sep).trim() : '';
    let ip =
      sep > 0
        ? entry
            .slice(sep + 1)
            .trim()
            .replace(/^\[|\]$/g, '')
        : '';
    if (ip === 'host-gateway') ip = hostGateway;
    if (!name || !ip) throw invalid(`invalid extra host entry: "${entry}" (expected name:ip)`);
    return [ip, name];
  });
}

/** Parses a link (`name:alias`, or Docker's stored form `/name:/self/alias`) into name and alias. */
export function parseLink(link: string): { name: string; alias: string } {
  const [rawName = '', rawAlias] = link.split(':');
  const name = rawName.replace(/^\//, '');
  const alias = rawAlias ? (rawAlias.split('/').pop() ?? name) : name;
  if (!name) throw invalid(`invalid link: "${link}"`);
  return { name, alias };
}

/** The hosts lines for the container itself: its address with hostname (and FQDN when a domain is set). */
export function selfLine(ip: string, hostname: string, domainname?: string): HostsLine {
  return domainname ? [ip, `${hostname}.${domainname}`, hostname] : [ip, hostname];
}

/** Nameservers of a resolv.conf text. */
export function nameservers(resolvConf: string): string[] {
  return resolvConf
    .split('\n')
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((s): s is string => Boolean(s));
}

/** Search domains of a resolv.conf text. */
function searchDomains(resolvConf: string): string[] {
  const line = resolvConf.split('\n').find((l) => /^\s*(search|domain)\s/.test(l));
  return line ? line.trim().split(/\s+/).slice(1) : [];
}

/** Options for {@link resolvConf}. */
export interface ResolvInput {
  /** The embedded resolver's address, on user-defined networks. */
  embedded?: string;
  /** The host's /etc/resolv.conf. */
  hostResolvConf: string;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
}

/**
 * A container's resolv.conf: the embedded resolver (user networks) or the container's `Dns` or
 * the host's non-loopback nameservers (the default bridge, as Docker does), with search and options.
 */
export function resolvConf(input: ResolvInput): string {
  const servers = input.embedded
    ? [input.embedded]
    : input.dns.length
      ? input.dns
      : nameservers(input.hostResolvConf).filter((s) => !s.startsWith('127.') && s !== '::1');
  const search = input.dnsSearch.length ? input.dnsSearch : searchDomains(input.hostResolvConf);
  const options = input.embedded ? ['ndots:0', ...input.dnsOptions] : input.dnsOptions;
  const lines = servers.map((s) => `nameserver ${s}`);
  if (search.length) lines.push(`search ${search.join(' ')}`);
  if (options.length) lines.push(`options ${options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

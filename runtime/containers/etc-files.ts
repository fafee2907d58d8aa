import type { NetworkAttachment } from '../contracts.js';
import { invalid } from '../errors.js';
import type { ContainerRecord } from './container-record.js';

/** The contents of a container's /etc/hosts, /etc/hostname and /etc/resolv.conf. */
export interface EtcFiles {
  hosts: string;
  hostname: string;
  resolvConf: string;
}

const LOCALHOST = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

/**
 * The per-container files as Docker writes them. Docker maps the hostname to the container's
 * address; with no network attachment (loopback only) it maps to 127.0.1.1, so lookups of the
 * container's own name still work.
 */
export function etcFiles(
  c: ContainerRecord,
  attachment: NetworkAttachment | undefined,
  hostResolvConf: string,
): EtcFiles {
  const hostname = c.Config.Hostname ?? c.Id.slice(0, 12);
  const lines = [...LOCALHOST];
  for (const entry of c.HostConfig.ExtraHosts ?? []) {
    const sep = entry.search(/[:=]/);
    const name = sep > 0 ? entry.slice(0, sep) : '';
    const ip = sep > 0 ? entry.slice(sep + 1).replace(/^\[|\]$/g, '') : '';
    if (!name || !ip) throw invalid(`invalid extra host entry: "${entry}" (expected name:ip)`);
    // With a network attachment its hosts already carry ExtraHosts (with host-gateway resolved).
    if (!attachment) lines.push(`${ip}\t${name}`);
  }
  if (attachment) for (const [ip, ...names] of attachment.hosts) lines.push(`${ip}\t${names.join(' ')}`);
  else
    lines.push(`127.0.1.1\t${c.Config.Domainname ? `${hostname}.${c.Config.Domainname} ` : ''}${hostname}`);
  return {
    hosts: `${lines.join('\n')}\n`,
    hostname: `${hostname}\n`,
    resolvConf: attachment ? attachment.resolvConf : resolvConf(c, hostResolvConf),
  };
}

/** resolv.conf from `Dns*` settings, else the host's without loopback resolvers (unreachable from a netns). */
function resolvConf(c: ContainerRecord, hostText: string): string {
  const host = hostText.split('\n');
  const pick = (key: string) =>
    host.filter((l) => l.startsWith(`${key} `)).map((l) => l.slice(key.length + 1).trim());
  const servers = c.HostConfig.Dns?.length
    ? c.HostConfig.Dns
    : pick('nameserver').filter((s) => !/^(127\.|::1$)/.test(s));
  const search = c.HostConfig.DnsSearch?.length
    ? c.HostConfig.DnsSearch
    : pick('search').flatMap((s) => s.split(/\s+/));
  const options = c.HostConfig.DnsOptions?.length
    ? c.HostConfig.DnsOptions
    : pick('options').flatMap((s) => s.split(/\s+/));
  const out = servers.map((s) => `nameserver ${s}`);
  if (search.length) out.push(`search ${search.join(' ')}`);
  if (options.length) out.push(`options ${options.join(' ')}`);
  return `${out.join('\n')}\n`;
}

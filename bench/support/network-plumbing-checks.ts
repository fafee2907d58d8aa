import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where each candidate of bench/network-plumbing.ts works, and the checks that make its timing
 * mean something: after setup the namespace really has eth0 with its address, a default route
 * and a DNAT rule for its port; after teardown nothing of it is left.
 */

/** Where one candidate works: its own bridge, /24, namespace file and host port. */
export interface Place {
  dir: string;
  tag: string;
  /** Third octet of its subnet 10.254.<octet>.0/24. */
  octet: number;
  /** A host port on 127.0.0.1 the bench holds open, so no engine is given it meanwhile. */
  port: number;
}

/** The names and addresses a place gives a candidate (`key` tells candidates apart). */
export interface Addressing {
  netns: string;
  bridge: string;
  subnet: string;
  gateway: string;
  ip: string;
  mac: string;
}

/** The names and addresses of candidate `key` at `p`. */
export function addressing(p: Place, key: string): Addressing {
  const net = `10.254.${p.octet}`;
  return {
    netns: join(p.dir, `${key}.netns`),
    bridge: `bpb${p.tag}${key}`,
    subnet: `${net}.0/24`,
    gateway: `${net}.1`,
    ip: `${net}.2`,
    mac: `02:42:0a:fe:${p.octet.toString(16).padStart(2, '0')}:02`,
  };
}

/** Writes a fresh, empty namespace file (untimed: the engine writes it from Node too). */
export function freshNamespaceFile(path: string): void {
  writeFileSync(path, '', { mode: 0o400 });
}

/** Stdout of a command, or '' when it fails. */
export function textOf(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** Whether a namespace file is still mounted. */
export function mounted(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${path} `);
}

type IpJson = Array<{ addr_info?: Array<{ local: string; prefixlen: number }>; gateway?: string }>;

/** `ip -j <args>` inside a namespace file, parsed ([] when it fails). */
function ipJson(netns: string, args: string[]): IpJson {
  return JSON.parse(textOf('nsenter', [`--net=${netns}`, 'ip', '-j', ...args]) || '[]') as IpJson;
}

/** Problems with a plumbed container: eth0's address, the default route, the DNAT of its port. */
export function plumbingProblems(a: Addressing, port: number): string[] {
  const problems: string[] = [];
  const addrs = ipJson(a.netns, ['addr', 'show', 'dev', 'eth0']).flatMap((l) => l.addr_info ?? []);
  if (!addrs.some((x) => x.local === a.ip && x.prefixlen === 24)) problems.push(`eth0 lacks ${a.ip}/24`);
  if (!ipJson(a.netns, ['route', 'show', 'default']).some((r) => r.gateway === a.gateway))
    problems.push(`no default route via ${a.gateway}`);
  const nat = textOf('iptables-save', ['-t', 'nat']).split('\n');
  if (!nat.some((r) => r.includes(`--dport ${port}`) && r.includes(`--to-destination ${a.ip}:80`)))
    problems.push(`no DNAT 127.0.0.1:${port} -> ${a.ip}:80`);
  return problems;
}

/** What a teardown left: the bridge, any rule naming the container's address, the namespace mount. */
export function leftovers(a: Addressing): string[] {
  const left: string[] = [];
  if (existsSync(`/sys/class/net/${a.bridge}`)) left.push(`bridge ${a.bridge}`);
  const dump = textOf('iptables-save', []).split('\n');
  if (dump.some((r) => r.includes(`${a.ip}/32`) || r.includes(`${a.ip}:`))) left.push(`rules for ${a.ip}`);
  if (mounted(a.netns)) left.push(`namespace mount ${a.netns}`);
  return left;
}

import { bridgeOptions } from './network-records.js';
import type { NetworkRecord } from './network-state.js';

/**
 * The two Docker bridge options netavark 1.4 has no switch for, as rules of the engine's own:
 * `com.docker.network.bridge.enable_icc=false` (containers on one bridge may not talk to each
 * other) and `enable_ip_masquerade=false` (outbound traffic keeps its container address), plus
 * the one IPv6 exception below (::1 is not DNATed). Every
 * other rule (forwarding, isolation, masquerade, published ports) is netavark's. The rules live in
 * chains named for this engine, jumped to first from FORWARD and POSTROUTING so they are seen
 * before netavark's; applying is `iptables-restore --noflush` of {@link rulesetText}, which
 * replaces the chains' contents exactly. With no such network there are no chains at all.
 */

/** The chains of one engine instance. */
export interface ChainNames {
  forward: string;
  postrouting: string;
  output: string;
}

/** Chain names for an engine tag (the default bridge's name); at most 28 characters each. */
export function chainNames(tag: string): ChainNames {
  return { forward: `BERTH-FWD-${tag}`, postrouting: `BERTH-POST-${tag}`, output: `BERTH-OUT-${tag}` };
}

/** A jump from a built-in chain to one of ours: `[table, builtin chain, ...match, '-j', chain]`. */
export interface Jump {
  table: 'filter' | 'nat';
  chain: string;
  spec: string[];
}

/** An address family's rule set: `iptables` (4) or `ip6tables` (6). */
export type Family = 4 | 6;

/** The jumps from built-in chains, each inserted first (before netavark's and dockerd's). */
export function jumps(c: ChainNames, family: Family): Jump[] {
  return [
    { table: 'filter', chain: 'FORWARD', spec: ['-j', c.forward] },
    { table: 'nat', chain: 'POSTROUTING', spec: ['-j', c.postrouting] },
    ...(family === 6 ? [{ table: 'nat' as const, chain: 'OUTPUT', spec: ['-j', c.output] }] : []),
  ];
}

/**
 * The `iptables-restore --noflush` input that makes our chains hold the rules the networks'
 * options call for, or '' when none does (then the engine owns no chain in that family).
 */
export function rulesetText(c: ChainNames, networks: NetworkRecord[], family: Family = 4): string {
  const bridges = networks
    .filter((n) => n.Driver === 'bridge' && n.bridge && (family === 4 || n.subnet6))
    .sort((a, b) => a.bridge.localeCompare(b.bridge));
  const filter: string[] = [];
  const nat: string[] = [];
  for (const n of bridges) {
    const options = bridgeOptions(n);
    if (!options.icc) filter.push(`-A ${c.forward} -i ${n.bridge} -o ${n.bridge} -j DROP`);
    // ACCEPT ends the nat table's POSTROUTING for the packet: netavark's MASQUERADE is not reached.
    const subnet = family === 4 ? n.subnet : n.subnet6;
    if (!options.masquerade && !n.Internal)
      nat.push(`-A ${c.postrouting} -s ${subnet} ! -o ${n.bridge} -j ACCEPT`);
  }
  // Netavark DNATs every local IPv6 address, ::1 included, but the kernel drops a loopback source
  // leaving `lo` (IPv6 has no route_localnet): ::1 stays un-NATed for the engine's socket to forward.
  const output = family === 6 && bridges.length ? [`-A ${c.output} -d ::1/128 -j ACCEPT`] : [];
  if (!filter.length && !nat.length && !output.length) return '';
  return [
    '*filter',
    `:${c.forward} - [0:0]`,
    ...filter,
    'COMMIT',
    '*nat',
    `:${c.postrouting} - [0:0]`,
    ...(family === 6 ? [`:${c.output} - [0:0]`] : []),
    ...nat,
    ...output,
    'COMMIT',
    '',
  ].join('\n');
}

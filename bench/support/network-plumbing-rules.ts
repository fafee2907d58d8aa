/**
 * Pure decisions over an `iptables-save` dump for bench/network-plumbing.ts's hygiene: which
 * rules and chains a run left (found by markers only its rules contain: its tag, its subnets),
 * and whether the CNI plugins' global chains, which they never remove, are idle and can go.
 */

import { chainOf, globalChainsRemoval, parseDump, removalText } from '../../runtime/network/iptables-dump.js';

/**
 * The `iptables-restore --noflush` input removing every rule that names a marker and every user
 * chain that holds one or is named for one (but never the global chains all users of a plumbing
 * share), with the jumps to it; '' when nothing is left.
 */
export function sweepText(dump: string, markers: string[]): string {
  const marked = (s: string) => markers.some((m) => s.includes(m));
  return removalText(
    [...parseDump(dump)].map(([table, t]) => {
      const userChains = [...t.chains].filter(([, policy]) => policy === '-').map(([name]) => name);
      const chains = userChains.filter(
        (c) =>
          !CNI_GLOBAL.test(c) &&
          !NETAVARK_GLOBAL.test(c) &&
          (marked(c) || t.rules.some((r) => chainOf(r) === c && marked(r))),
      );
      const rules = t.rules.filter(
        (r) => !chains.includes(chainOf(r)) && (marked(r) || chains.some((c) => r.includes(` -j ${c}`))),
      );
      return { table, rules, chains };
    }),
  );
}

/** {@link CNI_GLOBAL}'s chains by table. */
const CNI_GLOBALS: Record<string, string[]> = {
  filter: ['CNI-FORWARD', 'CNI-ADMIN'],
  nat: ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-SETMARK', 'CNI-HOSTPORT-MASQ'],
};

/** Netavark's global (host-wide) chains; the engine's netavark-chains.ts removes them when idle. */
export const NETAVARK_GLOBAL = /^(NETAVARK_\w+|NETAVARK-HOSTPORT-\w+)$/;

/** The CNI plugins' global chains (portmap's and firewall's; bridge has none). */
export const CNI_GLOBAL = /^(CNI-FORWARD|CNI-ADMIN|CNI-HOSTPORT-\w+)$/;

/** The chains of a dump whose names match `pattern` (for "did they exist before the bench?"). */
export function presentChains(dump: string, pattern: RegExp): string[] {
  return [...parseDump(dump).values()].flatMap((t) => [...t.chains.keys()].filter((c) => pattern.test(c)));
}

/**
 * The input removing the CNI global chains (and the jumps to them), or '' when none exist or a
 * CNI container anywhere still has rules: another per-container chain, a DNAT entry, a forward
 * rule besides the jump to CNI-ADMIN, an admin rule.
 */
export function idleCniCleanup(dump: string): string {
  const tables = parseDump(dump);
  const known = new Set(Object.values(CNI_GLOBALS).flat());
  const used = (r: string) =>
    ['CNI-HOSTPORT-DNAT', 'CNI-ADMIN'].includes(chainOf(r)) ||
    (chainOf(r) === 'CNI-FORWARD' && !r.endsWith('-j CNI-ADMIN'));
  const inUse = [...tables.values()].some(
    (t) => [...t.chains.keys()].some((c) => c.startsWith('CNI-') && !known.has(c)) || t.rules.some(used),
  );
  if (inUse) return '';
  return removalText(globalChainsRemoval(tables, CNI_GLOBALS));
}

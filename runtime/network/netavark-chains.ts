import { chainOf, globalChainsRemoval, parseDump, removalText } from './iptables-dump.js';

/**
 * Netavark removes a network's own chains with its last container, but keeps its global chains
 * (and the jumps to them from built-in chains) for the next one. An engine that owns every rule
 * it caused removes those too once no netavark network is left on the host: this module decides,
 * from an `iptables-save` dump, whether that is the case and what to remove.
 */

/** Netavark's host-wide chains, by table. */
const GLOBAL_CHAINS: Record<'filter' | 'nat', string[]> = {
  filter: [
    'NETAVARK_FORWARD',
    'NETAVARK_INPUT',
    'NETAVARK_ISOLATION_1',
    'NETAVARK_ISOLATION_2',
    'NETAVARK_ISOLATION_3',
  ],
  nat: ['NETAVARK-HOSTPORT-DNAT', 'NETAVARK-HOSTPORT-SETMARK', 'NETAVARK-HOSTPORT-MASQ'],
};

/** Global chains whose rules are per network or per container: any rule in them means "in use". */
const PER_USE_CHAINS = new Set([
  'NETAVARK_FORWARD',
  'NETAVARK_INPUT',
  'NETAVARK_ISOLATION_1',
  'NETAVARK_ISOLATION_2',
  'NETAVARK_ISOLATION_3',
  'NETAVARK-HOSTPORT-DNAT',
]);

/**
 * The `iptables-restore --noflush` input that removes netavark's global chains and the jumps to
 * them, or '' when there is nothing to remove or some netavark network (ours or anyone's) still
 * has rules on the host.
 */
export function idleNetavarkCleanup(dump: string): string {
  const tables = parseDump(dump);
  const known = new Set(Object.values(GLOBAL_CHAINS).flat());
  const inUse = [...tables.values()].some(
    (t) =>
      [...t.chains.keys()].some((c) => c.startsWith('NETAVARK') && !known.has(c)) ||
      t.rules.some((r) => PER_USE_CHAINS.has(chainOf(r))),
  );
  if (inUse) return '';
  return removalText(globalChainsRemoval(tables, GLOBAL_CHAINS));
}

/**
 * Whether an `iptables-save -t filter` dump shows netavark 1.4's isolation bug: the teardown of
 * an isolated network's last container deletes FORWARD's jump to `NETAVARK_ISOLATION_1` even
 * while other isolated networks (this engine's or another's) still have rules in it, which ends
 * their isolation until the next setup. The engine puts the jump back after every teardown.
 */
export function isolationJumpMissing(filterDump: string): boolean {
  const lines = filterDump.split('\n');
  const used = lines.some((l) => l.startsWith('-A NETAVARK_ISOLATION_1 '));
  const jumped = lines.some((l) => l.startsWith('-A FORWARD ') && l.endsWith(' -j NETAVARK_ISOLATION_1'));
  return used && !jumped;
}

/**
 * The `iptables-restore --noflush` input that removes one network's rules from a dump: netavark
 * keeps them while the network's bridge has a port (the engine's keeper veth, which spares every
 * container's teardown the network's rules), so the engine removes them with the network. A rule
 * is the network's when it names its subnet or bridge in a netavark chain or jumps to one of its
 * chains; its chains are the ones POSTROUTING sends the subnet to (`NETAVARK-<hash>`), with the
 * port chain of the same hash. '' when nothing is left.
 */
export function networkRulesCleanup(dump: string, network: { subnets: string[]; bridge: string }): string {
  const tables = parseDump(dump);
  const names = new Set([...network.subnets, network.bridge]);
  const own = new Set<string>();
  for (const t of tables.values())
    for (const r of t.rules) {
      const target = /-j (NETAVARK-[0-9A-F]+)$/.exec(r)?.[1];
      if (chainOf(r) === 'POSTROUTING' && target && r.split(' ').some((w) => names.has(w))) {
        own.add(target);
        own.add(`NETAVARK-DN-${target.slice('NETAVARK-'.length)}`);
      }
    }
  return removalText(
    [...tables].map(([table, t]) => ({
      table,
      chains: [...own].filter((c) => t.chains.has(c)),
      rules: t.rules.filter((r) => {
        if (own.has(chainOf(r))) return false;
        const target = / -j (\S+)$/.exec(r)?.[1] ?? '';
        return (
          own.has(target) || (chainOf(r).startsWith('NETAVARK') && r.split(' ').some((w) => names.has(w)))
        );
      }),
    })),
  );
}

/**
 * Pure decisions over an `iptables-save` dump for bench/network-plumbing.ts's hygiene: which
 * rules and chains a run left (found by markers only its rules contain: its tag, its subnets),
 * and whether the CNI plugins' global chains, which they never remove, are idle and can go.
 */

/** A table of a dump: its chains (with policy, `-` for user chains) and its `-A` rules. */
interface Table {
  chains: Map<string, string>;
  rules: string[];
}

/** The chains and rules of each table in a dump. */
export function parseDump(dump: string): Map<string, Table> {
  const tables = new Map<string, Table>();
  let current: Table | undefined;
  for (const line of dump.split('\n')) {
    if (line.startsWith('*')) {
      current = { chains: new Map(), rules: [] };
      tables.set(line.slice(1).trim(), current);
    } else if (current && line.startsWith(':')) {
      const [name = '', policy = '-'] = line.slice(1).split(' ');
      current.chains.set(name, policy);
    } else if (current && line.startsWith('-A ')) current.rules.push(line);
  }
  return tables;
}

/** The chain an `-A <chain> ...` rule is in. */
const chainOf = (rule: string) => rule.split(' ')[1] ?? '';

/**
 * The `iptables-restore --noflush` input removing every rule that names a marker and every user
 * chain that holds one or is named for one (but never the global chains all users of a plumbing
 * share), with the jumps to it; '' when nothing is left.
 */
export function sweepText(dump: string, markers: string[]): string {
  const marked = (s: string) => markers.some((m) => s.includes(m));
  const out: string[] = [];
  for (const [table, t] of parseDump(dump)) {
    const userChains = [...t.chains].filter(([, policy]) => policy === '-').map(([name]) => name);
    const ours = userChains.filter(
      (c) =>
        !CNI_GLOBAL.test(c) &&
        !NETAVARK_GLOBAL.test(c) &&
        (marked(c) || t.rules.some((r) => chainOf(r) === c && marked(r))),
    );
    const rules = t.rules.filter(
      (r) => !ours.includes(chainOf(r)) && (marked(r) || ours.some((c) => r.includes(` -j ${c}`))),
    );
    if (!ours.length && !rules.length) continue;
    out.push(`*${table}`, ...rules.map((r) => `-D${r.slice(2)}`));
    out.push(...ours.map((c) => `-F ${c}`), ...ours.map((c) => `-X ${c}`), 'COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
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
  const out: string[] = [];
  for (const [table, names] of Object.entries(CNI_GLOBALS)) {
    const t = tables.get(table);
    const own = names.filter((n) => t?.chains.has(n));
    if (!t || !own.length) continue;
    const jumps = t.rules.filter((r) => !own.includes(chainOf(r)) && own.some((c) => r.endsWith(`-j ${c}`)));
    out.push(`*${table}`, ...jumps.map((r) => `-D${r.slice(2)}`), ...own.map((c) => `-F ${c}`));
    out.push(...own.map((c) => `-X ${c}`), 'COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

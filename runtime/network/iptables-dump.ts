/**
 * Reading an `iptables-save` dump and writing the `iptables-restore --noflush` input that removes
 * rules and chains from it: the pure half of every clean-up of rules the engine did not write
 * itself (netavark's, and in the bench the CNI plugins').
 */

/** A table of a dump: its chains (name to policy, `-` for user chains) and its `-A` rules. */
export interface DumpTable {
  chains: Map<string, string>;
  rules: string[];
}

/** The chains and rules of each table in a dump. */
export function parseDump(dump: string): Map<string, DumpTable> {
  const tables = new Map<string, DumpTable>();
  let current: DumpTable | undefined;
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
export function chainOf(rule: string): string {
  return rule.split(' ')[1] ?? '';
}

/** One table's removal: these `-A` rules deleted, then these chains flushed and deleted. */
export interface TableRemoval {
  table: string;
  rules: string[];
  chains: string[];
}

/** The restore input for `removals` ('' when there is nothing to remove). */
export function removalText(removals: TableRemoval[]): string {
  const out: string[] = [];
  for (const { table, rules, chains } of removals) {
    if (!rules.length && !chains.length) continue;
    out.push(
      `*${table}`,
      ...rules.map((r) => `-D${r.slice(2)}`),
      ...chains.map((c) => `-F ${c}`),
      ...chains.map((c) => `-X ${c}`),
      'COMMIT',
    );
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** The removal of a plumbing's global chains (`globals` by table) present in a dump, with the jumps to them. */
export function globalChainsRemoval(
  tables: Map<string, DumpTable>,
  globals: Record<string, string[]>,
): TableRemoval[] {
  return Object.entries(globals).flatMap(([table, names]) => {
    const t = tables.get(table);
    const chains = names.filter((n) => t?.chains.has(n));
    if (!t || !chains.length) return [];
    const rules = t.rules.filter(
      (r) => !chains.includes(chainOf(r)) && chains.some((c) => r.endsWith(` -j ${c}`)),
    );
    return [{ table, rules, chains }];
  });
}

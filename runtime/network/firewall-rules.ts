import { bridgeOptions } from './network-records.js';
import type { AttachedContainer, NetworkRecord } from './network-state.js';

/**
 * The engine's whole iptables rule set as data, computed from state. All rules live in chains
 * the engine owns (named with a per-engine tag, so two engines never share a chain); the only
 * rules in built-in chains are the jumps to them. Applying is `iptables-restore --noflush` of
 * {@link rulesetText}: declaring our chains flushes them, so every apply replaces the set exactly.
 */

/** The chains of one engine instance. */
export interface ChainNames {
  forward: string;
  isolation: string;
  dnat: string;
  postrouting: string;
}

/** Chain names for an engine tag (the default bridge's name); at most 28 characters each. */
export function chainNames(tag: string): ChainNames {
  return {
    forward: `BERTH-FWD-${tag}`,
    isolation: `BERTH-ISO-${tag}`,
    dnat: `BERTH-DNAT-${tag}`,
    postrouting: `BERTH-POST-${tag}`,
  };
}

/** A jump from a built-in chain to one of ours: `[table, builtin chain, ...match, '-j', chain]`. */
export interface Jump {
  table: 'filter' | 'nat';
  chain: string;
  spec: string[];
}

/** The jumps from built-in chains; FORWARD is inserted first so dockerd's DROP policy is not reached. */
export function jumps(c: ChainNames): Jump[] {
  return [
    { table: 'filter', chain: 'FORWARD', spec: ['-j', c.forward] },
    { table: 'nat', chain: 'PREROUTING', spec: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', c.dnat] },
    { table: 'nat', chain: 'OUTPUT', spec: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', c.dnat] },
    { table: 'nat', chain: 'POSTROUTING', spec: ['-j', c.postrouting] },
  ];
}

/** The rules of the filter table's chains, in order. */
function filterRules(c: ChainNames, bridges: NetworkRecord[]): string[] {
  const rules: string[] = [];
  for (const n of bridges) {
    const b = n.bridge;
    rules.push(`-A ${c.forward} -o ${b} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
    rules.push(`-A ${c.forward} -o ${b} -m conntrack --ctstate DNAT -j ACCEPT`);
    rules.push(`-A ${c.forward} -i ${b} -o ${b} -j ${bridgeOptions(n).icc ? 'ACCEPT' : 'DROP'}`);
    if (n.Internal) {
      rules.push(`-A ${c.forward} -i ${b} ! -o ${b} -j DROP`);
      rules.push(`-A ${c.forward} -o ${b} ! -i ${b} -j DROP`);
      continue;
    }
    rules.push(`-A ${c.forward} -i ${b} ! -o ${b} -j ${c.isolation}`);
    rules.push(`-A ${c.forward} -i ${b} ! -o ${b} -j ACCEPT`);
  }
  for (const n of bridges) rules.push(`-A ${c.isolation} -o ${n.bridge} -j DROP`);
  rules.push(`-A ${c.isolation} -j RETURN`);
  return rules;
}

/** The nat table's rules: masquerade out, localhost DNAT, hairpin, published ports. */
function natRules(c: ChainNames, bridges: NetworkRecord[], containers: AttachedContainer[]): string[] {
  const rules: string[] = [];
  for (const n of bridges) {
    if (!n.Internal && bridgeOptions(n).masquerade) {
      rules.push(`-A ${c.postrouting} -s ${n.subnet} ! -o ${n.bridge} -j MASQUERADE`);
    }
    // 127.0.0.1:port DNATed into the bridge keeps a loopback source the container cannot answer.
    rules.push(`-A ${c.postrouting} -s 127.0.0.0/8 -o ${n.bridge} -j MASQUERADE`);
  }
  const byId = new Map(bridges.map((n) => [n.Id, n]));
  for (const ctr of [...containers].sort((a, b) => a.id.localeCompare(b.id))) {
    const ep = ctr.endpoints.find((e) => byId.get(e.networkId) && !byId.get(e.networkId)?.Internal);
    if (!ep) continue;
    // IPv6 host addresses are forwarded by the engine itself (userland-proxy.ts), not by iptables.
    for (const p of ctr.ports.filter((x) => !x.hostIp.includes(':'))) {
      const dest = p.hostIp && p.hostIp !== '0.0.0.0' ? ` -d ${p.hostIp}/32` : '';
      const to = `${ep.ip}:${p.containerPort}`;
      rules.push(
        `-A ${c.dnat}${dest} -p ${p.proto} -m ${p.proto} --dport ${p.hostPort} -j DNAT --to-destination ${to}`,
      );
      rules.push(
        `-A ${c.postrouting} -s ${ep.ip}/32 -d ${ep.ip}/32 -p ${p.proto} -m ${p.proto} --dport ${p.containerPort} -j MASQUERADE`,
      );
    }
  }
  return rules;
}

/** The `iptables-restore --noflush` input that replaces our chains' contents with the desired set. */
export function rulesetText(
  c: ChainNames,
  networks: NetworkRecord[],
  containers: AttachedContainer[],
): string {
  const bridges = networks
    .filter((n) => n.Driver === 'bridge' && n.bridge)
    .sort((a, b) => a.bridge.localeCompare(b.bridge));
  return [
    '*filter',
    `:${c.forward} - [0:0]`,
    `:${c.isolation} - [0:0]`,
    ...filterRules(c, bridges),
    'COMMIT',
    '*nat',
    `:${c.dnat} - [0:0]`,
    `:${c.postrouting} - [0:0]`,
    ...natRules(c, bridges, containers),
    'COMMIT',
    '',
  ].join('\n');
}

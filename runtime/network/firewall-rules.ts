import { bridgeOptions } from './network-records.js';
import type { AttachedContainer, EndpointRecord, NetworkRecord, PortMapping } from './network-state.js';

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

/** An address family's rule set: `iptables` (4) or `ip6tables` (6). */
export type Family = 4 | 6;

/**
 * The jumps from built-in chains; FORWARD is inserted first so dockerd's DROP policy is not
 * reached. IPv6 traffic to ::1 is never DNATed (the kernel drops a loopback source leaving lo,
 * and there is no route_localnet for IPv6): the engine's socket on the port forwards it, as
 * docker-proxy does.
 */
export function jumps(c: ChainNames, family: Family = 4): Jump[] {
  const notLoopback = family === 6 ? ['!', '-d', '::1/128'] : [];
  return [
    { table: 'filter', chain: 'FORWARD', spec: ['-j', c.forward] },
    { table: 'nat', chain: 'PREROUTING', spec: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', c.dnat] },
    {
      table: 'nat',
      chain: 'OUTPUT',
      spec: [...notLoopback, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', c.dnat],
    },
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

/** The publications a family's DNAT carries to `ep`, with the container address and host match. */
function dnatTargets(
  ctr: AttachedContainer,
  ep: EndpointRecord,
  family: Family,
): Array<{ p: PortMapping; ip: string; to: string; dest: string }> {
  if (family === 4) {
    return ctr.ports
      .filter((p) => !p.hostIp.includes(':'))
      .map((p) => ({
        p,
        ip: `${ep.ip}/32`,
        to: `${ep.ip}:${p.containerPort}`,
        dest: p.hostIp && p.hostIp !== '0.0.0.0' ? ` -d ${p.hostIp}/32` : '',
      }));
  }
  // IPv6 host addresses reach a container with an IPv6 address by DNAT, except ::1 (see jumps);
  // to an IPv4-only container the engine's socket forwards them (userland-proxy.ts).
  const ip6 = ep.ip6;
  if (!ip6) return [];
  return ctr.ports
    .filter((p) => p.hostIp.includes(':') && p.hostIp !== '::1')
    .map((p) => ({
      p,
      ip: `${ip6}/128`,
      to: `[${ip6}]:${p.containerPort}`,
      dest: p.hostIp !== '::' ? ` -d ${p.hostIp}/128` : '',
    }));
}

/** The nat table's rules: masquerade out, localhost DNAT, hairpin, published ports. */
function natRules(
  c: ChainNames,
  bridges: NetworkRecord[],
  containers: AttachedContainer[],
  family: Family,
): string[] {
  const rules: string[] = [];
  for (const n of bridges) {
    const subnet = family === 4 ? n.subnet : n.subnet6;
    if (!n.Internal && bridgeOptions(n).masquerade) {
      rules.push(`-A ${c.postrouting} -s ${subnet} ! -o ${n.bridge} -j MASQUERADE`);
    }
    // 127.0.0.1:port DNATed into the bridge keeps a loopback source the container cannot answer.
    if (family === 4) rules.push(`-A ${c.postrouting} -s 127.0.0.0/8 -o ${n.bridge} -j MASQUERADE`);
  }
  const byId = new Map(bridges.map((n) => [n.Id, n]));
  for (const ctr of [...containers].sort((a, b) => a.id.localeCompare(b.id))) {
    const ep = ctr.endpoints.find((e) => byId.get(e.networkId) && !byId.get(e.networkId)?.Internal);
    if (!ep) continue;
    for (const { p, ip, to, dest } of dnatTargets(ctr, ep, family)) {
      const match = `-p ${p.proto} -m ${p.proto}`;
      rules.push(`-A ${c.dnat}${dest} ${match} --dport ${p.hostPort} -j DNAT --to-destination ${to}`);
      rules.push(`-A ${c.postrouting} -s ${ip} -d ${ip} ${match} --dport ${p.containerPort} -j MASQUERADE`);
    }
  }
  return rules;
}

/**
 * The `iptables-restore --noflush` input that replaces our chains' contents with the desired set;
 * for IPv6 (`ip6tables-restore`), the networks with IPv6, or '' when there are none (then the
 * engine owns no ip6tables chain at all).
 */
export function rulesetText(
  c: ChainNames,
  networks: NetworkRecord[],
  containers: AttachedContainer[],
  family: Family = 4,
): string {
  const bridges = networks
    .filter((n) => n.Driver === 'bridge' && n.bridge && (family === 4 || n.subnet6))
    .sort((a, b) => a.bridge.localeCompare(b.bridge));
  if (family === 6 && bridges.length === 0) return '';
  return [
    '*filter',
    `:${c.forward} - [0:0]`,
    `:${c.isolation} - [0:0]`,
    ...filterRules(c, bridges),
    'COMMIT',
    '*nat',
    `:${c.dnat} - [0:0]`,
    `:${c.postrouting} - [0:0]`,
    ...natRules(c, bridges, containers, family),
    'COMMIT',
    '',
  ].join('\n');
}

import {
  type DnsAnswer,
  type DnsQuestion,
  NOERROR,
  reverseAddress,
  TYPE_A,
  TYPE_AAAA,
  TYPE_PTR,
} from './dns-codec.js';
import type { AttachedContainer, NetworkState } from './network-state.js';

/**
 * Service discovery as a pure function of the network state: which names a querying container
 * may resolve (only those of containers sharing a user-defined network with it) and what they
 * resolve to.
 */

/** What to do with a query. */
export type Resolution =
  | { kind: 'answer'; rcode: number; answers: DnsAnswer[] }
  /** Not one of ours: forward upstream when allowed, else NXDOMAIN. */
  | { kind: 'unknown'; internal: boolean; upstreams?: string[] }
  /** The source is no container of ours: refuse. */
  | { kind: 'refused' };

/** The names a container is known by on a network. */
export function namesOf(ctr: AttachedContainer, aliases: string[]): string[] {
  const names = [ctr.name, ctr.hostname, ctr.id.slice(0, 12), ...aliases];
  if (ctr.service) names.push(ctr.service);
  return [...new Set(names.filter(Boolean).map((n) => n.toLowerCase()))];
}

/** The container owning a source address, with the user-defined networks it is on. */
function querier(
  state: NetworkState,
  src: string,
): { ctr: AttachedContainer; networks: Set<string> } | undefined {
  const user = new Set(state.networks.filter((n) => n.Driver === 'bridge' && !n.predefined).map((n) => n.Id));
  for (const ctr of Object.values(state.attached)) {
    if (!ctr.endpoints.some((e) => e.ip === src || e.ip6 === src)) continue;
    return { ctr, networks: new Set(ctr.endpoints.map((e) => e.networkId).filter((id) => user.has(id))) };
  }
  return undefined;
}

/**
 * Resolves `q` for the container at `src`. A, AAAA and PTR (in-addr.arpa and ip6.arpa) come from
 * containers on the querier's user networks (answers shuffled by `shuffle`); AAAA for a name
 * without IPv6 addresses, like any other type for a known name, is an empty NOERROR.
 */
export function resolveQuestion(
  state: NetworkState,
  src: string,
  q: DnsQuestion,
  shuffle: <T>(items: T[]) => T[],
): Resolution {
  const who = querier(state, src);
  if (!who || who.networks.size === 0) return { kind: 'refused' };
  const internal = [...who.networks].every((id) => state.networks.find((n) => n.Id === id)?.Internal);
  const peers = Object.values(state.attached).flatMap((ctr) =>
    ctr.endpoints.filter((e) => who.networks.has(e.networkId)).map((e) => ({ ctr, ep: e })),
  );
  if (q.type === TYPE_PTR) {
    const ip = reverseAddress(q.name);
    const hit = ip ? peers.find((p) => p.ep.ip === ip || p.ep.ip6 === ip) : undefined;
    if (!hit) return { kind: 'unknown', internal, upstreams: who.ctr.dns };
    const netName = state.networks.find((n) => n.Id === hit.ep.networkId)?.Name ?? '';
    return {
      kind: 'answer',
      rcode: NOERROR,
      answers: [{ type: TYPE_PTR, target: `${hit.ctr.name}.${netName}` }],
    };
  }
  const matches = peers.filter((p) => namesOf(p.ctr, p.ep.aliases).includes(q.name));
  if (matches.length === 0) return { kind: 'unknown', internal, upstreams: who.ctr.dns };
  if (q.type === TYPE_AAAA) {
    const v6 = [...new Set(matches.flatMap((m) => (m.ep.ip6 ? [m.ep.ip6] : [])))];
    const answers = shuffle(v6).map((address): DnsAnswer => ({ type: TYPE_AAAA, address }));
    return { kind: 'answer', rcode: NOERROR, answers };
  }
  if (q.type !== TYPE_A) return { kind: 'answer', rcode: NOERROR, answers: [] };
  const addresses = [...new Set(matches.map((m) => m.ep.ip))];
  return {
    kind: 'answer',
    rcode: NOERROR,
    answers: shuffle(addresses).map((address) => ({ type: TYPE_A, address })),
  };
}

/** A Fisher–Yates shuffle driven by `random` (injected, so tests are deterministic). */
export function shuffler(random: () => number): <T>(items: T[]) => T[] {
  return <T>(items: T[]) => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
}

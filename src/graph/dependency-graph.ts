import toposort from 'toposort';
import { BerthError } from '../errors/kinds.js';
import { formatPath, formatPosition, type PositionIndex } from '../loader/tree-path.js';
import type { DependsOn, Project } from '../model/project.js';
import { findCycle } from './find-cycle.js';
import { type DependencyKind, type ServiceDependency, serviceDependencies } from './service-dependencies.js';

/** One edge of the graph: `from` needs `to`; several declarations of the same pair are merged. */
export interface DependencyEdge {
  from: string;
  to: string;
  /** Every relation that declares it, in a fixed order. */
  kinds: DependencyKind[];
  /** What `from` waits for: the `depends_on` condition, else `service_started`. */
  condition: DependsOn['condition'];
  /** From `depends_on.required`; false lets `from` start when `to` is missing. */
  required: boolean;
  /** From `depends_on.restart`: restart `from` when `to` is recreated or restarted. */
  restart: boolean;
}

/** The dependency graph of a project's active services. Every list it returns is in a stable order. */
export interface DependencyGraph {
  /** Active service names, sorted. */
  readonly services: readonly string[];
  /** Edges sorted by (from, to). */
  readonly edges: readonly DependencyEdge[];
  /** Services in dependency order: every service after all it needs (for `up`). */
  order(): string[];
  /** The reverse of {@link order}: dependents first (for `down`, `stop`). */
  reverseOrder(): string[];
  /** Groups that can start in parallel: level n needs only services in levels < n. Names sorted. */
  levels(): string[][];
  /** The edges out of `name` (what it needs). */
  dependenciesOf(name: string): DependencyEdge[];
  /** The edges into `name` (who needs it). */
  dependentsOf(name: string): DependencyEdge[];
}

const KIND_ORDER: DependencyKind[] = ['depends_on', 'links', 'network_mode', 'ipc', 'pid', 'volumes_from'];

/**
 * Stage 7: builds the graph from `depends_on`, `links`, `network_mode`/`ipc`/`pid: service:x`
 * and `volumes_from` between active services. An optional dependency (`required: false`) on a
 * service that is not active is left out; a required one is an error, as is a cycle, which is
 * named in a stable order (`a -> b -> c -> a`) with the place of its first edge.
 */
export function buildDependencyGraph(project: Project, positions?: PositionIndex): DependencyGraph {
  const services = Object.keys(project.services).sort();
  const declared = services.flatMap((name) => serviceDependencies(project.services[name]));
  const edges = mergeEdges(declared.filter((d) => checkTarget(d, project, positions)));
  const cycle = findCycle(services, (name) => edges.filter((e) => e.from === name).map((e) => e.to));
  if (cycle) {
    const first = declared.find((d) => d.from === cycle[0] && d.to === cycle[1]);
    throw new BerthError('invalid', `dependency cycle: ${cycle.join(' -> ')}`, placeOf(first, positions));
  }
  const order = toposort.array(
    services,
    edges.map((e): [string, string] => [e.to, e.from]),
  );
  const levels = computeLevels(services, edges);
  return {
    services,
    edges,
    order: () => [...order],
    reverseOrder: () => [...order].reverse(),
    levels: () => levels.map((l) => [...l]),
    dependenciesOf: (name) => edges.filter((e) => e.from === name),
    dependentsOf: (name) => edges.filter((e) => e.to === name),
  };
}

/** Keeps edges to active services; drops optional ones to missing services; throws for required ones. */
function checkTarget(d: ServiceDependency, project: Project, positions?: PositionIndex): boolean {
  if (Object.hasOwn(project.services, d.to)) return true;
  if (!d.required) return false;
  const state = Object.hasOwn(project.disabled_services, d.to) ? 'disabled by its profiles' : 'not defined';
  throw new BerthError('invalid', `service "${d.from}" needs service "${d.to}", which is ${state}`, {
    ...placeOf(d, positions),
    service: d.from,
  });
}

function mergeEdges(declared: ServiceDependency[]): DependencyEdge[] {
  const byPair = new Map<string, DependencyEdge>();
  for (const d of declared) {
    const key = `${d.from}\u0000${d.to}`;
    const edge = byPair.get(key) ?? {
      from: d.from,
      to: d.to,
      kinds: [],
      condition: 'service_started',
      required: true,
      restart: false,
    };
    if (!edge.kinds.includes(d.kind)) edge.kinds.push(d.kind);
    if (d.kind === 'depends_on') {
      edge.condition = d.condition;
      edge.required = d.required;
      edge.restart = d.restart;
    }
    byPair.set(key, edge);
  }
  const edges = [...byPair.values()];
  for (const e of edges) e.kinds.sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b));
  return edges.sort((a, b) => (a.from === b.from ? cmp(a.to, b.to) : cmp(a.from, b.from)));
}

/** Level of a service: 0 without dependencies, else one more than its deepest dependency. */
function computeLevels(services: readonly string[], edges: readonly DependencyEdge[]): string[][] {
  const level = new Map<string, number>();
  const of = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const deps = edges.filter((e) => e.from === name).map((e) => of(e.to));
    const n = deps.length === 0 ? 0 : Math.max(...deps) + 1;
    level.set(name, n);
    return n;
  };
  const out: string[][] = [];
  for (const name of services) {
    const n = of(name);
    out[n] = [...(out[n] ?? []), name];
  }
  return out.map((group) => group.sort());
}

function placeOf(d: ServiceDependency | undefined, positions?: PositionIndex) {
  if (!d) return {};
  const path = ['services', d.from, ...d.at];
  const pos = positions?.get(path);
  return { location: pos ? formatPosition(pos) : undefined, path: formatPath(path) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

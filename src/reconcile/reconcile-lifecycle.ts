import { buildDependencyGraph } from '../graph/dependency-graph.js';
import type { Project } from '../model/project.js';
import { containerNumber } from './container-labels.js';
import { Label } from './labels.js';
import { isLive, type ObservedContainer, type ObservedState } from './observed-state.js';
import { type Operation, OperationType, type Plan, PlanBuilder } from './plan.js';

/** The lifecycle commands that act on existing containers. */
export type LifecycleAction = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'rm';

/** Options of a lifecycle plan. */
export interface LifecycleOptions {
  /** Services to act on; empty means all. */
  services?: string[];
  /** `-t` seconds for stop/restart. */
  timeout?: number;
  /** `kill -s`. */
  killSignal?: string;
  /** `rm -v`: remove anonymous volumes too. */
  volumes?: boolean;
  /** `rm -s`: stop first when running. */
  stop?: boolean;
}

/** Which containers an action applies to, given their state (e.g. `start` skips running ones). */
const APPLIES: Record<LifecycleAction, (c: ObservedContainer) => boolean> = {
  start: (c) => !isLive(c),
  stop: (c) => isLive(c),
  restart: () => true,
  kill: (c) => c.state === 'running',
  pause: (c) => c.state === 'running',
  unpause: (c) => c.state === 'paused',
  rm: () => true,
};

/**
 * The plan of `start`/`stop`/`restart`/`kill`/`pause`/`unpause`/`rm` on the project's service
 * containers (one-offs excluded). Starting follows dependency order (a service after those it
 * depends on); stopping and removing go the reverse way.
 */
export function planLifecycle(
  project: Project,
  observed: ObservedState,
  action: LifecycleAction,
  options: LifecycleOptions = {},
): Plan {
  const plan = new PlanBuilder();
  const chosen =
    action === 'restart' ? withRestartingDependents(project, options.services) : options.services;
  const selected = (s: string) => !chosen?.length || chosen.includes(s);
  const reverse = action === 'stop' || action === 'rm' || action === 'kill' || action === 'pause';
  const nodes = new Map<string, number[]>();
  const graph = buildDependencyGraph(project);
  const order = graph.order();
  const known = new Set(order);
  const services = [...new Set(observed.containers.map((c) => c.labels[Label.service] ?? ''))]
    .filter((s) => selected(s))
    .sort((a, b) => rank(order, known, a) - rank(order, known, b));
  for (const service of services) {
    const containers = observed.containers
      .filter(
        (c) => c.labels[Label.service] === service && c.labels[Label.oneoff] !== 'True' && APPLIES[action](c),
      )
      // `rm` removes stopped containers; running ones only with `-s` (stop first).
      .filter((c) => action !== 'rm' || options.stop || !isLive(c))
      .sort((a, b) => containerNumber(a) - containerNumber(b));
    for (const c of containers) {
      const target = { id: c.id };
      const base = { resource: `service:${service}:${containerNumber(c)}`, cause: action, service };
      let stopped: number | undefined;
      if (action === 'rm' && options.stop && isLive(c)) {
        stopped = plan.add({ ...base, type: OperationType.StopContainer, target, timeout: options.timeout });
      }
      const op = operationFor(action, target, options);
      const id = plan.add({ ...base, ...op } as Operation, [stopped]);
      nodes.set(service, [...(nodes.get(service) ?? []), id]);
    }
  }
  for (const { from, to } of graph.edges) {
    const [before, after] = reverse ? [from, to] : [to, from];
    for (const n of nodes.get(after) ?? []) plan.addDependencies(n, nodes.get(before) ?? []);
  }
  return plan.build();
}

/** `restart db` also restarts the services that depend on db with `restart: true`, transitively. */
function withRestartingDependents(project: Project, services: string[] | undefined): string[] | undefined {
  if (!services?.length) return services;
  const out = new Set(services);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of Object.values(project.services)) {
      if (out.has(s.name)) continue;
      if (Object.entries(s.depends_on).some(([dep, d]) => d.restart && out.has(dep))) {
        out.add(s.name);
        grew = true;
      }
    }
  }
  return [...out];
}

function rank(order: string[], known: Set<string>, service: string): number {
  return known.has(service) ? order.indexOf(service) : order.length;
}

function operationFor(action: LifecycleAction, target: { id: string }, o: LifecycleOptions) {
  switch (action) {
    case 'start':
      return { type: OperationType.StartContainer, target };
    case 'stop':
      return { type: OperationType.StopContainer, target, timeout: o.timeout };
    case 'restart':
      return { type: OperationType.RestartContainer, target, timeout: o.timeout };
    case 'kill':
      return { type: OperationType.KillContainer, target, signal: o.killSignal };
    case 'pause':
      return { type: OperationType.PauseContainer, target };
    case 'unpause':
      return { type: OperationType.UnpauseContainer, target };
    case 'rm':
      return { type: OperationType.RemoveContainer, target, volumes: Boolean(o.volumes) };
  }
}

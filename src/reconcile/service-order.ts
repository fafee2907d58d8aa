import { errors } from '../errors/kinds.js';
import type { Service } from '../model/project.js';

/** Prefix of a namespace or volumes_from reference to another service. */
const SERVICE_REF = 'service:';

/**
 * The services `service` needs to exist before it is created or started: its `depends_on`
 * entries, plus the implicit ones Compose adds for links, `service:` namespaces and volumes_from.
 */
export function serviceDependencies(service: Service): string[] {
  const deps = new Set(Object.keys(service.depends_on));
  for (const link of service.links) deps.add(link.split(':')[0]);
  for (const mode of [service.network_mode, service.ipc, service.pid]) {
    if (mode?.startsWith(SERVICE_REF)) deps.add(mode.slice(SERVICE_REF.length));
  }
  for (const vf of service.volumes_from) {
    const ref = vf.split(':')[0];
    if (!ref.startsWith('container:')) deps.add(ref);
  }
  return [...deps].sort();
}

/**
 * Service names with every service after those it depends on; ties in name order, so the result
 * (and every plan built from it) is deterministic. Dependencies outside `services` are ignored.
 */
export function dependencyOrder(services: Record<string, Service>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name].join(' -> ');
      throw errors.invalid(`dependency cycle: ${cycle}`, { service: name });
    }
    state.set(name, 'visiting');
    for (const dep of serviceDependencies(services[name])) if (services[dep]) visit(dep, [...trail, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(services).sort()) visit(name, []);
  return order;
}

/** `names` plus, transitively, everything they depend on. */
export function withDependencies(services: Record<string, Service>, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  const add = (name: string): void => {
    if (out.has(name) || !services[name]) return;
    out.add(name);
    for (const dep of serviceDependencies(services[name])) add(dep);
  };
  for (const n of names) add(n);
  return out;
}

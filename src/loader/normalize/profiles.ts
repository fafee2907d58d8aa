import { serviceDependencies } from '../../graph/service-dependencies.js';
import type { Service } from '../../model/project.js';

/**
 * The services active under the selected profiles: those with no `profiles`, those with a
 * selected one (`*` selects all), and, transitively, every service an active one needs
 * (`depends_on` unless `required: false`, links, `service:` namespaces, `volumes_from`): a
 * dependency that only a profile would enable is pulled in rather than failing the stack.
 */
export function activeServices(services: Record<string, Service>, selected: readonly string[]): Set<string> {
  const all = selected.includes('*');
  const active = new Set(
    Object.values(services)
      .filter((s) => all || s.profiles.length === 0 || s.profiles.some((p) => selected.includes(p)))
      .map((s) => s.name),
  );
  const queue = [...active];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const dep of serviceDependencies(services[name])) {
      if (!dep.required || active.has(dep.to) || !Object.hasOwn(services, dep.to)) continue;
      active.add(dep.to);
      queue.push(dep.to);
    }
  }
  return active;
}

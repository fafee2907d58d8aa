import type { DependsOn, Service } from '../model/project.js';

/** Why one service needs another. */
export type DependencyKind = 'depends_on' | 'links' | 'network_mode' | 'ipc' | 'pid' | 'volumes_from';

/** One edge out of a service: `from` needs `to` started first. */
export interface ServiceDependency {
  from: string;
  to: string;
  kind: DependencyKind;
  /** For `depends_on`, the condition to wait for; the namespace and link kinds wait for a start. */
  condition: DependsOn['condition'];
  /** False only for `depends_on` entries with `required: false`. */
  required: boolean;
  /** `depends_on.restart`; false for the other kinds. */
  restart: boolean;
  /** The attribute that declares it, for locating errors: `['depends_on', 'db']`, `['links', 0]`... */
  at: Array<string | number>;
}

/** `service:db` -> `db`; anything else (`host`, `container:x`, `bridge`) -> undefined. */
export function serviceOfMode(mode: string | undefined): string | undefined {
  return mode?.startsWith('service:') ? mode.slice('service:'.length) : undefined;
}

/** `db`, `db:ro` -> `db`; `container:x[:ro]` -> undefined (a container, not a service). */
export function serviceOfVolumesFrom(entry: string): string | undefined {
  if (entry.startsWith('container:')) return undefined;
  return entry.split(':')[0];
}

/** `db`, `db:alias` -> `db`. */
export function serviceOfLink(entry: string): string {
  return entry.split(':')[0];
}

/**
 * Every service `service` needs, in a stable order: `depends_on` (with its condition), `links`,
 * `network_mode`/`ipc`/`pid: service:x` and `volumes_from`. Duplicates are kept (each carries its
 * own place); the graph collapses them.
 */
export function serviceDependencies(service: Service): ServiceDependency[] {
  const from = service.name;
  const out: ServiceDependency[] = [];
  for (const [to, dep] of Object.entries(service.depends_on)) {
    out.push({
      from,
      to,
      kind: 'depends_on',
      condition: dep.condition,
      required: dep.required,
      restart: dep.restart,
      at: ['depends_on', to],
    });
  }
  const started = { condition: 'service_started' as const, required: true, restart: false };
  service.links.forEach((link, i) => {
    out.push({ from, to: serviceOfLink(link), kind: 'links', ...started, at: ['links', i] });
  });
  for (const kind of ['network_mode', 'ipc', 'pid'] as const) {
    const to = serviceOfMode(service[kind]);
    if (to) out.push({ from, to, kind, ...started, at: [kind] });
  }
  service.volumes_from.forEach((entry, i) => {
    const to = serviceOfVolumesFrom(entry);
    if (to) out.push({ from, to, kind: 'volumes_from', ...started, at: ['volumes_from', i] });
  });
  return out;
}

import type { Project as ProjectModel } from '../model/project.js';
import type { EnginePort, ListedContainer } from '../reconcile/engine-port.js';
import { Label, projectFilter } from '../reconcile/labels.js';
import type { ContainerInfo, PsOptions } from './options.js';

/** The project's containers (one list call), sorted by service and number, as `ps` shows them. */
export async function psProject(
  engine: EnginePort,
  model: Pick<ProjectModel, 'name'>,
  options: PsOptions = {},
) {
  const listed = await engine.containers.list({
    all: options.all || Boolean(options.status?.length),
    filters: projectFilter(model.name),
    signal: options.signal,
  });
  return listed
    .map(toContainerInfo)
    .filter((c) => !options.services?.length || options.services.includes(c.service))
    .filter((c) => !options.status?.length || options.status.includes(c.state))
    .sort(
      (a, b) => a.service.localeCompare(b.service) || a.number - b.number || a.name.localeCompare(b.name),
    );
}

/** A list entry as `ps` reports it. */
export function toContainerInfo(c: ListedContainer): ContainerInfo {
  const labels = c.Labels ?? {};
  const health =
    /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1]?.replace('health: ', '') ?? '';
  const exit = /^Exited \((\d+)\)/.exec(c.Status);
  return {
    id: c.Id,
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    service: labels[Label.service] ?? '',
    number: Number(labels[Label.containerNumber] ?? 0),
    image: c.Image,
    command: c.Command ?? '',
    created: c.Created ?? 0,
    state: c.State,
    status: c.Status,
    health,
    exitCode: exit ? Number(exit[1]) : undefined,
    ports: (c.Ports ?? []).map((p) => ({
      url: p.IP,
      targetPort: p.PrivatePort,
      publishedPort: p.PublicPort,
      protocol: p.Type,
    })),
    oneoff: labels[Label.oneoff] === 'True',
    project: labels[Label.project] ?? '',
    names: c.Names.map((n) => n.replace(/^\//, '')),
    labels,
    mounts: (c.Mounts ?? []).map((m) => m.Name || m.Source || ''),
    localVolumes: (c.Mounts ?? []).filter((m) => (m as { Driver?: string }).Driver === 'local').length,
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort(),
  };
}

import type { EnginePort, ListedContainer } from './engine-port.js';
import { Label, projectFilter } from './labels.js';
import type { ContainerState, ObservedContainer, ObservedState } from './observed-state.js';

/**
 * Takes one snapshot of a project: its containers (one filtered list call), and every network,
 * volume and image (one list call each, since external ones are looked up by name). The four
 * calls run concurrently; nothing is inspected.
 */
export async function observe(
  engine: EnginePort,
  project: string,
  signal?: AbortSignal,
): Promise<ObservedState> {
  const [containers, networks, volumes, images] = await Promise.all([
    engine.containers.list({ all: true, filters: projectFilter(project), signal }),
    engine.networks.list({ signal }),
    engine.volumes.list({ signal }),
    engine.images.list({ signal }),
  ]);
  const observed: ObservedState = {
    containers: containers.map(toObservedContainer).filter((c) => c.labels[Label.project] === project),
    networks: {},
    volumes: {},
    images: {},
  };
  for (const n of networks) observed.networks[n.Name] = { id: n.Id, name: n.Name, labels: n.Labels ?? {} };
  for (const v of volumes.Volumes ?? []) observed.volumes[v.Name] = { name: v.Name, labels: v.Labels ?? {} };
  for (const i of images) {
    const image = { id: i.Id, repoTags: i.RepoTags ?? [], labels: i.Labels ?? {} };
    observed.images[i.Id] = image;
    for (const tag of image.repoTags) if (tag !== '<none>:<none>') observed.images[tag] = image;
  }
  return observed;
}

/** The container fields the reconciler reads, from a list entry. */
export function toObservedContainer(c: ListedContainer): ObservedContainer {
  return {
    id: c.Id,
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    state: c.State as ContainerState,
    status: c.Status,
    labels: c.Labels ?? {},
    imageId: c.ImageID,
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort(),
    mounts: (c.Mounts ?? []).map((m) => ({
      type: m.Type,
      name: m.Name,
      source: m.Source,
      destination: m.Destination,
    })),
    ports: (c.Ports ?? []).map((p) => ({
      privatePort: p.PrivatePort,
      publicPort: p.PublicPort,
      ip: p.IP,
      type: p.Type,
    })),
  };
}

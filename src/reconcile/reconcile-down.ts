import { buildDependencyGraph } from '../graph/dependency-graph.js';
import type { Project } from '../model/project.js';
import { containerNumber } from './container-labels.js';
import { findImage, normalizeImageRef, serviceImage } from './image-ref.js';
import { Label } from './labels.js';
import { isLive, type ObservedContainer, type ObservedState } from './observed-state.js';
import type { DownOptions } from './options.js';
import { OperationType, type Plan, PlanBuilder } from './plan.js';

/**
 * The plan of `down`: stop containers in reverse dependency order (dependents first), remove
 * them, then the project's networks, then with `-v` its volumes, then with `--rmi` its images.
 * A project known only by name (no services) removes everything labelled with that name.
 */
export function reconcileDown(project: Project, observed: ObservedState, options: DownOptions = {}): Plan {
  const plan = new PlanBuilder();
  const nameOnly = Object.keys(project.services).length === 0;
  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabled_services)]);
  const isOurs = (c: ObservedContainer) =>
    nameOnly || options.removeOrphans || known.has(c.labels[Label.service]);
  const containers = [...observed.containers].sort(
    (a, b) =>
      cmp(a.labels[Label.service], b.labels[Label.service]) || containerNumber(a) - containerNumber(b),
  );
  const leaving = containers.filter(isOurs);
  const staying = containers.filter((c) => !isOurs(c));
  if (staying.length) {
    plan.warnings.push(
      `Found orphan containers (${staying.map((c) => c.name).join(', ')}) for this project.`,
    );
  }
  const stops = new Map<string, number[]>();
  const removes: number[] = [];
  for (const c of leaving) {
    const service = c.labels[Label.service];
    const op = { resource: `service:${service}:${containerNumber(c)}`, cause: 'down', service };
    const target = { id: c.id };
    const stop = isLive(c)
      ? plan.add({ ...op, type: OperationType.StopContainer, target, timeout: options.timeout })
      : undefined;
    if (stop !== undefined) stops.set(service, [...(stops.get(service) ?? []), stop]);
    removes.push(
      plan.add({ ...op, type: OperationType.RemoveContainer, target, volumes: !!options.volumes }, [stop]),
    );
  }
  // A dependency stops only after everything that depends on it has stopped.
  for (const { from, to } of buildDependencyGraph(project).edges) {
    for (const stop of stops.get(to) ?? []) plan.addDependencies(stop, stops.get(from) ?? []);
  }
  const inUse = new Set(staying.flatMap((c) => c.networks));
  const declaredNets = new Set(Object.values(project.networks).map((n) => n.name));
  for (const net of Object.values(observed.networks).sort((a, b) => cmp(a.name, b.name))) {
    if (net.labels[Label.project] !== project.name || inUse.has(net.name)) continue;
    if (!nameOnly && !declaredNets.has(net.name)) continue;
    plan.add(
      { type: OperationType.RemoveNetwork, name: net.name, resource: `network:${net.name}`, cause: 'down' },
      removes,
    );
  }
  if (options.volumes) {
    const declared = new Set(
      Object.values(project.volumes)
        .filter((v) => !v.external)
        .map((v) => v.name),
    );
    for (const vol of Object.values(observed.volumes).sort((a, b) => cmp(a.name, b.name))) {
      if (vol.labels[Label.project] !== project.name || (!nameOnly && !declared.has(vol.name))) continue;
      const resource = `volume:${vol.name}`;
      plan.add({ type: OperationType.RemoveVolume, name: vol.name, resource, cause: 'down -v' }, removes);
    }
  }
  if (options.rmi) {
    const images = new Set<string>();
    for (const s of Object.values(project.services)) {
      if (options.rmi === 'all' || !s.image) images.add(normalizeImageRef(serviceImage(project, s)));
    }
    for (const image of [...images].sort()) {
      if (!findImage(observed, image)) continue;
      const cause = `down --rmi ${options.rmi}`;
      plan.add({ type: OperationType.RemoveImage, image, resource: `image:${image}`, cause }, removes);
    }
  }
  return plan.build();
}

function cmp(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

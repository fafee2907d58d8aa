import { errors } from '../errors/kinds.js';
import type { Service } from '../model/project.js';
import {
  containerLabels,
  containerNumber,
  createContext,
  type DesiredIdentity,
  desiredContainerName,
  desiredIdentity,
} from './container-labels.js';
import { type ExtraNetwork, serviceToContainerSpec } from './create-body.js';
import { findImage, normalizeImageRef, serviceImage } from './image-ref.js';
import type { InjectedFile } from './inline-files.js';
import { Label } from './labels.js';
import { isLive, type ObservedContainer } from './observed-state.js';
import { type ContainerTarget, OperationType } from './plan.js';
import type { PlannedContainer, ReconcileRun, ServiceOutcome } from './reconcile-context.js';
import { readinessNodes, restartingDependencies } from './reconcile-readiness.js';
import { type RecreateReason, recreateReason } from './recreate-reason.js';

/** Per-service facts every container of the service shares. */
interface ServiceFacts {
  service: Service;
  image: string;
  imageId: string | undefined;
  identity: DesiredIdentity;
  /** Nodes a create waits for: image, networks, volumes, namespace parents. */
  createDeps: number[];
  /** Why containers must be recreated whatever their hash (a namespace parent was recreated). */
  forcedCause?: string;
}

/**
 * Plans one service's containers: create missing ones, recreate diverged ones, start stopped
 * ones, remove the ones above the scale. Services are visited in dependency order, so the
 * outcomes of the services this one depends on are known.
 */
export function reconcileService(run: ReconcileRun, service: Service): void {
  const existing = run.byService.get(service.name) ?? [];
  const scale = run.options.scale?.[service.name] ?? service.scale;
  if (service.container_name && scale > 1) {
    throw errors.invalid(
      `service "${service.name}" has container_name set and cannot be scaled to ${scale}`,
      {
        service: service.name,
      },
    );
  }
  const facts = serviceFacts(run, service);
  const outcome: ServiceOutcome = { containers: [], recreated: false, oldStopNodes: [], waits: new Map() };
  run.outcomes.set(service.name, outcome);
  // An interrupted recreate can leave two containers with one number: keep the one with the final name.
  const byName = [...existing].sort((a, b) => Number(!isFinalName(run, a)) - Number(!isFinalName(run, b)));
  const kept = new Map<number, ObservedContainer>();
  for (const c of byName) {
    const n = containerNumber(c);
    if (n >= 1 && n <= scale && !kept.has(n)) kept.set(n, c);
    else removeContainer(run, c, n > scale ? 'scaled down' : 'duplicate container number');
  }
  for (let n = 1; n <= scale; n++) {
    const c = kept.get(n);
    if (!c) outcome.containers.push(createContainer(run, facts, n, 'not found'));
    else {
      const reason = recreateReason(run, facts, c);
      if (reason) outcome.containers.push(recreateContainer(run, facts, n, c, reason, outcome));
      else outcome.containers.push(keepContainer(run, facts, c));
    }
  }
  outcome.recreated = outcome.containers.some((c) => 'createdBy' in c.target);
}

function isFinalName(run: ReconcileRun, c: ObservedContainer): boolean {
  const service = run.project.services[c.labels[Label.service]];
  return service !== undefined && c.name === desiredContainerName(run.project, service, containerNumber(c));
}

function serviceFacts(run: ReconcileRun, service: Service): ServiceFacts {
  const image = serviceImage(run.project, service);
  const imageId = findImage(run.observed, image)?.id;
  const createDeps = [
    run.imageNodes.get(normalizeImageRef(image)),
    ...Object.keys(service.networks).map((k) => run.networkNodes.get(k)),
    ...service.volumes.map((v) =>
      v.type === 'volume' && v.source ? run.volumeNodes.get(v.source) : undefined,
    ),
  ];
  let forcedCause: string | undefined;
  for (const dep of namespaceParents(service)) {
    const parent = run.outcomes.get(dep);
    if (!parent) continue;
    createDeps.push(...parent.containers.map((c) => c.readyNode));
    if (parent.recreated) forcedCause = `dependency recreated (shares namespace with ${dep})`;
  }
  return {
    service,
    image,
    imageId,
    identity: desiredIdentity(service, imageId, {
      secrets: run.project.secrets,
      configs: run.project.configs,
      environment: run.project.environment,
    }),
    createDeps: createDeps.filter((d): d is number => d !== undefined),
    forcedCause,
  };
}

/** Services whose containers this one shares namespaces or volumes with: `service:X`, volumes_from. */
function namespaceParents(service: Service): string[] {
  const refs = [service.network_mode, service.ipc, service.pid]
    .filter((m): m is string => m?.startsWith('service:') === true)
    .map((m) => m.slice('service:'.length));
  const volumeParents = service.volumes_from
    .map((v) => v.split(':')[0])
    .filter((r) => !r.startsWith('container:'));
  return [...new Set([...refs, ...volumeParents])].sort();
}

/** The `files` field of a create, only when there are files (so plans without any stay as they were). */
function withFiles(files: InjectedFile[]): { files?: InjectedFile[] } {
  return files.length ? { files } : {};
}

function specFor(run: ReconcileRun, facts: ServiceFacts, n: number, replaced?: ObservedContainer) {
  const labels = containerLabels(run.project, facts.service, n, facts.identity, facts.imageId);
  return serviceToContainerSpec(facts.service, facts.image, labels, createContext(run.project, replaced));
}

function createContainer(run: ReconcileRun, facts: ServiceFacts, n: number, cause: string): PlannedContainer {
  const name = desiredContainerName(run.project, facts.service, n);
  const { body, extraNetworks, files } = specFor(run, facts, n);
  const resource = `service:${facts.service.name}:${n}`;
  const op = { resource, cause, service: facts.service.name };
  const created = run.plan.add(
    { ...op, type: OperationType.CreateContainer, name, body, ...withFiles(files) },
    facts.createDeps,
  );
  return connectAndStart(
    run,
    facts,
    { name, number: n, target: { createdBy: created } },
    extraNetworks,
    created,
    cause,
  );
}

/** Connects a new container to its other networks once it exists under its name `after`, then starts it. */
function connectAndStart(
  run: ReconcileRun,
  facts: ServiceFacts,
  c: Pick<PlannedContainer, 'name' | 'number' | 'target'>,
  extraNetworks: ExtraNetwork[],
  after: number,
  cause: string,
): PlannedContainer {
  const resource = `service:${facts.service.name}:${c.number}`;
  const op = { resource, cause, service: facts.service.name };
  const connects = extraNetworks.map((e) =>
    run.plan.add({ ...op, type: OperationType.ConnectNetwork, target: c.target, ...e }, [after]),
  );
  const readyNode = Math.max(after, ...connects);
  return {
    ...c,
    readyNode,
    startNode: startNode(run, facts.service, resource, c.target, [readyNode], cause),
  };
}

function recreateContainer(
  run: ReconcileRun,
  facts: ServiceFacts,
  n: number,
  old: ObservedContainer,
  { cause, diff }: RecreateReason,
  outcome: ServiceOutcome,
): PlannedContainer {
  const name = desiredContainerName(run.project, facts.service, n);
  const resource = `service:${facts.service.name}:${n}`;
  const op = { resource, cause, service: facts.service.name };
  const oldTarget = { id: old.id };
  const timeout = run.options.timeout;
  // A changed network can only be removed once nothing is attached: stop and disconnect first.
  const leaving = old.networks.filter((net) => run.networkRemovals.has(net));
  let stopped: number | undefined;
  const disconnects: number[] = [];
  if (leaving.length) {
    stopped = run.plan.add({ ...op, type: OperationType.StopContainer, target: oldTarget, timeout });
    for (const network of leaving) {
      const d = run.plan.add({ ...op, type: OperationType.DisconnectNetwork, target: oldTarget, network }, [
        stopped,
      ]);
      run.plan.addDependencies(run.networkRemovals.get(network)!, [d]);
      disconnects.push(d);
    }
  }
  const { body, extraNetworks, files } = specFor(run, facts, n, old);
  const tempName = `${old.id.slice(0, 12)}_${name}`;
  const create = {
    ...op,
    type: OperationType.CreateContainer,
    name: tempName,
    body,
    diff,
    ...withFiles(files),
  } as const;
  const created = run.plan.add(create, [...facts.createDeps, ...disconnects]);
  const target = { createdBy: created };
  stopped ??= run.plan.add({ ...op, type: OperationType.StopContainer, target: oldTarget, timeout }, [
    created,
  ]);
  outcome.oldStopNodes.push(stopped);
  const removed = run.plan.add(
    { ...op, type: OperationType.RemoveContainer, target: oldTarget, volumes: false },
    [stopped, created],
  );
  const renamed = run.plan.add({ ...op, type: OperationType.RenameContainer, target, name }, [removed]);
  return connectAndStart(run, facts, { name, number: n, target }, extraNetworks, renamed, cause);
}

function keepContainer(run: ReconcileRun, facts: ServiceFacts, c: ObservedContainer): PlannedContainer {
  const target = { id: c.id };
  const number = containerNumber(c);
  const resource = `service:${facts.service.name}:${number}`;
  if (!isLive(c)) {
    return {
      name: c.name,
      number,
      target,
      startNode: startNode(run, facts.service, resource, target, [], 'not running'),
    };
  }
  // depends_on.restart: stopped before the dependency's old container stops, started once it is ready again.
  const restarting = restartingDependencies(run, facts.service);
  if (!restarting.length) return { name: c.name, number, target };
  const cause = 'dependency recreated (restart: true)';
  const op = { resource, cause, service: facts.service.name };
  const stopped = run.plan.add({
    ...op,
    type: OperationType.StopContainer,
    target,
    timeout: run.options.timeout,
  });
  for (const dep of restarting) for (const s of dep.oldStopNodes) run.plan.addDependencies(s, [stopped]);
  return {
    name: c.name,
    number,
    target,
    startNode: startNode(run, facts.service, resource, target, [stopped], cause),
  };
}

function startNode(
  run: ReconcileRun,
  service: Service,
  resource: string,
  target: ContainerTarget,
  after: number[],
  cause: string,
): number | undefined {
  if (run.options.noStart) return undefined;
  const deps = [...after, ...readinessNodes(run, service)];
  return run.plan.add(
    { type: OperationType.StartContainer, target, resource, cause, service: service.name },
    deps,
  );
}

/** Stops (when running) and removes a container the project no longer wants. */
export function removeContainer(run: ReconcileRun, c: ObservedContainer, cause: string): number {
  const service = c.labels[Label.service];
  const op = { resource: `service:${service}:${containerNumber(c)}`, cause, service };
  const target = { id: c.id };
  const stopped = isLive(c)
    ? run.plan.add({ ...op, type: OperationType.StopContainer, target, timeout: run.options.timeout })
    : undefined;
  const removed = run.plan.add({ ...op, type: OperationType.RemoveContainer, target, volumes: false }, [
    stopped,
  ]);
  for (const net of c.networks) {
    const removal = run.networkRemovals.get(net);
    if (removal) run.plan.addDependencies(removal, [removed]);
  }
  return removed;
}

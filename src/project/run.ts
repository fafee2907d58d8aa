import { randomBytes } from 'node:crypto';
import { errors } from '../errors/kinds.js';
import type { Project as ProjectModel, Service, ServicePort } from '../model/project.js';
import { containerLabels, createContext, desiredIdentity } from '../reconcile/container-labels.js';
import { serviceToContainerSpec } from '../reconcile/create-body.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { withService } from '../reconcile/execute.js';
import { findImage, serviceImage } from '../reconcile/image-ref.js';
import { Label } from '../reconcile/labels.js';
import { observe } from '../reconcile/observe.js';
import { OperationType, type Plan } from '../reconcile/plan.js';
import type { ProgressListener } from '../reconcile/progress-event.js';
import { tarOfFiles } from '../reconcile/tar-files.js';
import type { UpOptions } from './options.js';
import { pipeAttached, type Stdio } from './stdio.js';
import { upProject } from './up.js';

/** `run` options (Compose's flags). */
export interface RunOptions {
  service: string;
  /** Command override (empty: the service's command). */
  command: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  /** `-p host:container` publications. */
  publish?: ServicePort[];
  /** `--service-ports`: publish the service's ports. */
  servicePorts?: boolean;
  name?: string;
  workdir?: string;
  user?: string;
  rm?: boolean;
  detach?: boolean;
  noDeps?: boolean;
  tty: boolean;
  interactive: boolean;
  /** Random hex for the one-off's name and slug; injected for tests. */
  slug?: string;
  signal?: AbortSignal;
  /** Progress of bringing up what the one-off needs. */
  onEvent?: ProgressListener;
  /** `--parallel N` for that. */
  parallel?: number;
  /** Called once what the one-off needs is up, before it is created (ends a progress display). */
  onPrepared?: () => void;
}

/**
 * A one-off container of a service (`<project>-<service>-run-<slug>`, labelled `oneoff=True`),
 * as `docker compose run` makes it: first what it needs is brought up (its image, networks and
 * volumes, and unless `noDeps` its dependencies, started and waited for as `up` would), then it
 * is created, attached and started. Returns its exit code (0 when detached, with its name in
 * `name`). With `rm`, the container is removed whatever happens once it exists.
 */
export async function runOneOff(
  engine: EnginePort,
  model: ProjectModel,
  o: RunOptions,
  stdio: Stdio,
): Promise<{ exitCode: number; name: string }> {
  const base = model.services[o.service];
  if (!base) throw errors.notFound(`no such service: ${o.service}`);
  const service = oneOffService(base, o);
  const image = serviceImage(model, base);
  try {
    await prepareOneOff(engine, model, { ...service, image: service.image ?? image }, o);
  } finally {
    o.onPrepared?.();
  }
  const imageId = findImage(await observe(engine, model.name, o.signal), image)?.id;
  if (!imageId) throw errors.notFound(`image ${image} is not present`, { service: o.service });
  const slug = o.slug ?? randomBytes(16).toString('hex');
  const name = o.name ?? `${model.name}-${o.service}-run-${slug.slice(0, 12)}`;
  const labels = {
    ...containerLabels(model, service, 1, desiredIdentity(service, imageId), imageId, true),
    [Label.slug]: slug,
  };
  const { body, extraNetworks, files } = serviceToContainerSpec(service, image, labels, createContext(model));
  Object.assign(body, {
    Tty: o.tty,
    OpenStdin: o.interactive,
    StdinOnce: o.interactive,
    AttachStdin: o.interactive,
  });
  // Detached, the engine removes the container when it exits; attached, berth does below.
  if (o.rm && o.detach) Object.assign(body.HostConfig as object, { AutoRemove: true });
  // An engine's refusal (name in use, port allocated...) is reported against the service.
  const named = (err: unknown) => {
    throw withService(err, o.service);
  };
  const { Id } = await engine.containers.create(body, { name }).catch(named);
  let started = false;
  try {
    if (files.length) await engine.containers.putArchive(Id, '/', tarOfFiles(files));
    for (const e of extraNetworks)
      await engine.networks.connect(e.network, { Container: Id, EndpointConfig: e.endpoint });
    if (o.detach) {
      await engine.containers.start(Id);
      started = true;
      return { exitCode: 0, name };
    }
    return { exitCode: await runAttached(engine, Id, o, stdio), name };
  } catch (err) {
    return named(err);
  } finally {
    if (o.rm && !(o.detach && started))
      await engine.containers.remove(Id, { force: true, v: true }).catch(() => {});
  }
}

/** Brings up what the one-off needs: `up` as {@link oneOffUp} describes it. */
async function prepareOneOff(engine: EnginePort, model: ProjectModel, service: Service, o: RunOptions) {
  const up = oneOffUp(model, service, o);
  const options = { ...up.options, signal: o.signal, onEvent: o.onEvent, parallel: o.parallel };
  await upProject(engine, up.model, options, up.shape);
}

/**
 * What `run` brings up before its one-off container, with `up`'s own planner and executor: the
 * plan of `up` for one more container of the service (under a stand-in name no service can
 * have, so the service's own containers are left as they are), without that container's
 * create and start: its image, networks and volumes and, unless `noDeps`, its dependencies,
 * started and waited for as its `depends_on` conditions say. Pure.
 */
export function oneOffUp(
  model: ProjectModel,
  service: Service,
  o: Pick<RunOptions, 'noDeps'>,
): { model: ProjectModel; options: UpOptions; shape: (plan: Plan) => Plan } {
  const standIn = `${service.name} (run)`;
  return {
    model: { ...model, services: { ...model.services, [standIn]: { ...service, name: standIn, scale: 1 } } },
    options: { services: [standIn], noDeps: o.noDeps },
    shape: (plan) => withoutStandIn(plan, standIn, service.name),
  };
}

/** The stand-in's operations the one-off needs (networks and volumes belong to no service). */
const NEEDED_BY_ONE_OFF = new Set([OperationType.PullImage, OperationType.BuildImage]);

/** `plan` without the stand-in's container operations; what remains is named after the service. */
function withoutStandIn(plan: Plan, standIn: string, service: string): Plan {
  const dropped = new Set(
    plan.nodes
      .filter((n) => n.operation.service === standIn && !NEEDED_BY_ONE_OFF.has(n.operation.type))
      .map((n) => n.id),
  );
  const nodes = plan.nodes
    .filter((n) => !dropped.has(n.id))
    .map((n) => ({
      ...n,
      dependsOn: n.dependsOn.filter((d) => !dropped.has(d)),
      operation: n.operation.service === standIn ? { ...n.operation, service } : n.operation,
    }));
  return { nodes, warnings: plan.warnings.map((w) => w.replaceAll(standIn, service)) };
}

/**
 * Attaches, starts and waits: output is copied until the process exits; Ctrl-C (the signal)
 * is passed on to the container, as `docker compose run` does. Returns the exit code.
 */
async function runAttached(engine: EnginePort, id: string, o: RunOptions, stdio: Stdio): Promise<number> {
  const io = await engine.containers.attach(id, {
    stream: true,
    stdin: o.interactive,
    stdout: true,
    stderr: true,
    tty: o.tty,
  });
  const exited = engine.containers.wait(id, { condition: 'next-exit' });
  exited.catch(() => {});
  try {
    await engine.containers.start(id);
  } catch (err) {
    io.close();
    throw err;
  }
  const forward = () => {
    const signal = typeof o.signal?.reason === 'string' ? o.signal.reason : 'SIGINT';
    engine.containers.kill(id, { signal }).catch(() => {});
  };
  o.signal?.addEventListener('abort', forward, { once: true });
  try {
    const resize = o.tty ? (size: { h: number; w: number }) => engine.containers.resize(id, size) : undefined;
    await pipeAttached(io, stdio, o.interactive, resize);
    return (await exited).StatusCode;
  } finally {
    o.signal?.removeEventListener('abort', forward);
  }
}

/** The service as the one-off runs it: overrides applied, no fixed name, ports only when asked. */
function oneOffService(base: Service, o: RunOptions): Service {
  const s: Service = { ...base, container_name: undefined, environment: { ...base.environment, ...o.env } };
  if (o.command.length) s.command = o.command;
  if (o.entrypoint) s.entrypoint = o.entrypoint;
  if (o.workdir) s.working_dir = o.workdir;
  if (o.user) s.user = o.user;
  s.ports = o.servicePorts ? base.ports : (o.publish ?? []);
  if (o.rm) s.restart = undefined;
  return s;
}

import { randomBytes } from 'node:crypto';
import { errors } from '../errors/kinds.js';
import { buildDependencyGraph } from '../graph/dependency-graph.js';
import type { Project as ProjectModel, Service, ServicePort } from '../model/project.js';
import { containerLabels, createContext, desiredIdentity } from '../reconcile/container-labels.js';
import { serviceToContainerSpec } from '../reconcile/create-body.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { findImage, serviceImage } from '../reconcile/image-ref.js';
import { Label } from '../reconcile/labels.js';
import { observe } from '../reconcile/observe.js';
import { tarOfFiles } from '../reconcile/tar-files.js';
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
}

/**
 * A one-off container of a service (`<project>-<service>-run-<slug>`, labelled `oneoff=True`):
 * dependencies brought up first unless `noDeps`, then created, attached and started; returns
 * the container's exit code (0 when detached, with its name in `name`).
 */
export async function runOneOff(
  engine: EnginePort,
  model: ProjectModel,
  o: RunOptions,
  stdio: Stdio,
): Promise<{ exitCode: number; name: string }> {
  const base = model.services[o.service];
  if (!base) throw errors.notFound(`no such service: ${o.service}`, { service: o.service });
  const deps = buildDependencyGraph(model)
    .dependenciesOf(o.service)
    .map((e) => e.to);
  if (!o.noDeps && deps.length) await upProject(engine, model, { services: deps, signal: o.signal });
  const service = oneOffService(base, o);
  const observed = await observe(engine, model.name, o.signal);
  const image = serviceImage(model, service);
  const imageId = findImage(observed, image)?.id;
  if (!imageId)
    throw errors.notFound(`image ${image} is not present: run \`berth pull\` or \`berth build\` first`, {
      service: o.service,
    });
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
  const { Id } = await engine.containers.create(body, { name });
  if (files.length) await engine.containers.putArchive(Id, '/', tarOfFiles(files));
  for (const e of extraNetworks)
    await engine.networks.connect(e.network, { Container: Id, EndpointConfig: e.endpoint });
  if (o.detach) {
    await engine.containers.start(Id);
    return { exitCode: 0, name };
  }
  const io = await engine.containers.attach(Id, {
    stream: true,
    stdin: o.interactive,
    stdout: true,
    stderr: true,
    tty: o.tty,
  });
  const exited = engine.containers.wait(Id, { condition: 'next-exit' });
  await engine.containers.start(Id);
  await pipeAttached(
    io,
    stdio,
    o.interactive,
    o.tty ? (size) => engine.containers.resize(Id, size) : undefined,
  );
  const { StatusCode } = await exited;
  if (o.rm) await engine.containers.remove(Id, { force: true, v: true });
  return { exitCode: StatusCode, name };
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

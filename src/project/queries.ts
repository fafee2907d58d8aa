import { errors } from '../errors/kinds.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { Label } from '../reconcile/labels.js';
import { psProject } from './ps.js';

/** `port`: the host address a service container's port is published on. */
export async function publishedPort(
  engine: EnginePort,
  project: string,
  o: { service: string; port: number; protocol?: string; index?: number },
): Promise<string> {
  const containers = await psProject(engine, { name: project }, { services: [o.service] });
  const c = containers.find((x) => x.number === (o.index ?? 1) && !x.oneoff);
  if (!c) throw errors.notFound(`service "${o.service}" is not running`, { service: o.service });
  const p = c.ports.find(
    (x) => x.targetPort === o.port && x.protocol === (o.protocol ?? 'tcp') && x.publishedPort,
  );
  if (!p)
    throw errors.notFound(`no port ${o.port}/${o.protocol ?? 'tcp'} published for service "${o.service}"`);
  return `${p.url ?? '0.0.0.0'}:${p.publishedPort}`;
}

/** One project on the engine, for `ls`. */
export interface ProjectSummary {
  name: string;
  /** `running(2), exited(1)` */
  status: string;
  configFiles: string;
  running: number;
}

/** `ls`: every Compose project with containers on the engine (one list call). */
export async function listProjects(engine: EnginePort, all: boolean): Promise<ProjectSummary[]> {
  const listed = await engine.containers.list({ all: true, filters: { label: [Label.project] } });
  const byProject = new Map<string, { states: Map<string, number>; files: string }>();
  for (const c of listed) {
    const name = c.Labels?.[Label.project] ?? '';
    const entry = byProject.get(name) ?? { states: new Map(), files: c.Labels?.[Label.configFiles] ?? '' };
    entry.states.set(c.State, (entry.states.get(c.State) ?? 0) + 1);
    byProject.set(name, entry);
  }
  return [...byProject.entries()]
    .map(([name, e]) => ({
      name,
      status: [...e.states.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([s, n]) => `${s}(${n})`)
        .join(', '),
      configFiles: e.files,
      running: e.states.get('running') ?? 0,
    }))
    .filter((p) => all || p.running > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The processes of each running container of the services (`top`). */
export async function projectTop(engine: EnginePort, project: string, services: string[]) {
  const containers = await psProject(engine, { name: project }, { services });
  return Promise.all(containers.map(async (c) => ({ name: c.name, ...(await engine.containers.top(c.id)) })));
}

/** The image each container runs, with its tags and size (`images`). */
export async function projectImages(engine: EnginePort, project: string, services: string[]) {
  const [containers, images] = await Promise.all([
    psProject(engine, { name: project }, { all: true, services }),
    engine.images.list(),
  ]);
  const listed = await engine.containers.list({
    all: true,
    filters: { label: [`${Label.project}=${project}`] },
  });
  const imageOf = new Map(listed.map((c) => [c.Id, c.ImageID]));
  return containers.map((c) => {
    const id = imageOf.get(c.id) ?? '';
    const image = images.find((i) => i.Id === id);
    const tag = image?.RepoTags?.find((t) => t !== '<none>:<none>') ?? '<none>:<none>';
    const at = tag.lastIndexOf(':');
    return {
      container: c.name,
      repository: tag.slice(0, at),
      tag: tag.slice(at + 1),
      id: id.replace(/^sha256:/, '').slice(0, 12),
      size: image?.Size ?? 0,
    };
  });
}

/**
 * Waits until every container of the services has stopped (`wait`); `onExit` hears of each as
 * it stops. Returns their IDs and exit codes in the order they stopped.
 */
export async function waitServices(
  engine: EnginePort,
  project: string,
  services: string[],
  signal?: AbortSignal,
  onExit: (exit: { id: string; name: string; code: number }) => void = () => {},
) {
  const containers = await psProject(engine, { name: project }, { all: true, services });
  if (!containers.length) throw errors.notFound(`no containers for service(s) ${services.join(', ')}`);
  const exits: Array<{ id: string; name: string; code: number }> = [];
  await Promise.all(
    containers.map(async (c) => {
      const exit = {
        id: c.id,
        name: c.name,
        code: (await engine.containers.wait(c.id, { signal })).StatusCode,
      };
      exits.push(exit);
      onExit(exit);
    }),
  );
  return exits;
}

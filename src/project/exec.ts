import { errors } from '../errors/kinds.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { Label, projectFilter } from '../reconcile/labels.js';
import { pipeAttached, type Stdio } from './stdio.js';

/** `exec` options (Compose's flags). */
export interface ExecOptions {
  service: string;
  command: string[];
  /** `--index`: which replica (default 1). */
  index?: number;
  env?: string[];
  workdir?: string;
  user?: string;
  privileged?: boolean;
  /** Allocate a TTY (default: when stdin is one, unless `-T`). */
  tty: boolean;
  /** Forward stdin. */
  interactive: boolean;
  detach?: boolean;
}

/** Runs a command in a running container of a service; returns its exit code (0 when detached). */
export async function execInService(
  engine: EnginePort,
  project: string,
  o: ExecOptions,
  stdio: Stdio,
): Promise<number> {
  const id = await serviceContainer(engine, project, o.service, o.index ?? 1);
  const { Id } = await engine.exec.create(id, {
    Cmd: o.command,
    Env: o.env,
    WorkingDir: o.workdir,
    User: o.user,
    Privileged: o.privileged,
    Tty: o.tty,
    AttachStdin: o.interactive && !o.detach,
    AttachStdout: !o.detach,
    AttachStderr: !o.detach,
  });
  if (o.detach) {
    await engine.exec.start(Id, { Detach: true, Tty: o.tty });
    return 0;
  }
  const io = await engine.exec.start(Id, { Tty: o.tty, stdin: o.interactive });
  if (io)
    await pipeAttached(io, stdio, o.interactive, o.tty ? (size) => engine.exec.resize(Id, size) : undefined);
  const { ExitCode } = await engine.exec.inspect(Id);
  return ExitCode ?? 0;
}

/** The ID of a service's running container number `index`. */
export async function serviceContainer(engine: EnginePort, project: string, service: string, index: number) {
  const filters = projectFilter(project);
  filters.label.push(
    `${Label.service}=${service}`,
    `${Label.containerNumber}=${index}`,
    `${Label.oneoff}=False`,
  );
  const [c] = await engine.containers.list({ filters });
  if (!c) throw errors.notFound(`service "${service}" is not running`, { service });
  return c.Id;
}

import { setTimeout as delay } from 'node:timers/promises';
import { errors, isBerthError } from '../errors/kinds.js';
import type { EnginePort, EngineProgress } from './engine-port.js';
import { type ContainerTarget, OperationType, type PlanNode } from './plan.js';
import type { ProgressListener } from './progress-event.js';
import { tarOfFiles } from './tar-files.js';

/** What one operation needs to run. */
export interface OperationContext {
  engine: EnginePort;
  /** Container IDs created so far, by the node that created them. */
  created: Map<number, string>;
  signal?: AbortSignal;
  emit: ProgressListener;
  pollMs: number;
}

/** Runs one plan node: exactly one engine call (or one wait). No decisions beyond tolerating "already so". */
export async function runOperation(node: PlanNode, ctx: OperationContext): Promise<void> {
  const { engine } = ctx;
  const op = node.operation;
  const id = (t: ContainerTarget) => ('id' in t ? t.id : ctx.created.get(t.createdBy)!);
  switch (op.type) {
    case OperationType.PullImage:
      return drain(await engine.images.pull(op.image, { signal: ctx.signal }), node, ctx);
    case OperationType.BuildImage:
      return drain(
        await engine.images.build(op.build.context, {
          dockerfile: op.build.dockerfile,
          t: [op.image, ...op.build.tags],
          buildargs: { ...definedOnly(op.build.args), ...op.args },
          target: op.build.target,
          labels: op.build.labels,
          nocache: op.noCache ?? op.build.no_cache,
          pull: op.pull ?? op.build.pull,
          // A failed step's container is removed too, as Compose does.
          forcerm: true,
          signal: ctx.signal,
        }),
        node,
        ctx,
      );
    case OperationType.PushImage:
      return drain(await engine.images.push(op.image, { signal: ctx.signal }), node, ctx);
    case OperationType.RemoveImage:
      return tolerate(engine.images.remove(op.image), 'not-found');
    case OperationType.CreateNetwork:
      return tolerate(engine.networks.create(op.body), 'conflict');
    case OperationType.RemoveNetwork:
      return tolerate(engine.networks.remove(op.name), 'not-found');
    case OperationType.CreateVolume:
      return tolerate(engine.volumes.create(op.body), 'conflict');
    case OperationType.RemoveVolume:
      return tolerate(engine.volumes.remove(op.name), 'not-found');
    case OperationType.CreateContainer: {
      const created = await createContainer(engine, op.name, op.body);
      if (op.files?.length) await engine.containers.putArchive(created, '/', tarOfFiles(op.files));
      ctx.created.set(node.id, created);
      return;
    }
    case OperationType.StartContainer:
      return tolerate(engine.containers.start(id(op.target)), 'not-modified');
    case OperationType.StopContainer:
      return tolerate(engine.containers.stop(id(op.target), { t: op.timeout }), 'not-modified', 'not-found');
    case OperationType.RemoveContainer:
      return tolerate(engine.containers.remove(id(op.target), { force: true, v: op.volumes }), 'not-found');
    case OperationType.RestartContainer:
      return engine.containers.restart(id(op.target), { t: op.timeout });
    case OperationType.KillContainer:
      return engine.containers.kill(id(op.target), { signal: op.signal });
    case OperationType.PauseContainer:
      return tolerate(engine.containers.pause(id(op.target)), 'not-modified');
    case OperationType.UnpauseContainer:
      return tolerate(engine.containers.unpause(id(op.target)), 'not-modified');
    case OperationType.RenameContainer:
      return engine.containers.rename(id(op.target), op.name);
    case OperationType.ConnectNetwork:
      return engine.networks.connect(op.network, { Container: id(op.target), EndpointConfig: op.endpoint });
    case OperationType.DisconnectNetwork:
      return tolerate(
        engine.networks.disconnect(op.network, { Container: id(op.target), Force: true }),
        'not-found',
      );
    case OperationType.AwaitHealthy:
      return optional(awaitHealthy(id(op.target), op.service ?? '', ctx), op.required, ctx);
    case OperationType.AwaitCompleted:
      return optional(awaitCompleted(id(op.target), op.service ?? '', ctx), op.required, ctx);
  }
}

/**
 * A wait on a `required: false` dependency that fails (unhealthy, exited non-zero) is a warning,
 * as in Compose: the dependent starts anyway.
 */
async function optional(wait: Promise<void>, required: boolean, ctx: OperationContext): Promise<void> {
  try {
    await wait;
  } catch (err) {
    if (required || !isBerthError(err, 'failed')) throw err;
    ctx.emit({ kind: 'warning', message: `optional dependency: ${err.message}` });
  }
}

async function awaitCompleted(id: string, service: string, ctx: OperationContext): Promise<void> {
  const { StatusCode } = await ctx.engine.containers.wait(id, { signal: ctx.signal });
  if (StatusCode !== 0)
    throw errors.failed(`service "${service}" didn't complete successfully: exit ${StatusCode}`, { service });
}

/**
 * Creates a container; a 409 means a concurrent `up` made the same one (the name is unique per
 * project, service and number), which is then adopted if it carries the same labels.
 */
async function createContainer(engine: EnginePort, name: string, body: { Labels: Record<string, string> }) {
  try {
    return (await engine.containers.create(body, { name })).Id;
  } catch (err) {
    if (!isBerthError(err, 'conflict')) throw err;
    const other = await engine.containers.inspect(name);
    const hash = 'com.docker.compose.config-hash';
    if (other.Config.Labels?.[hash] !== body.Labels[hash]) throw err;
    return other.Id;
  }
}

async function awaitHealthy(id: string, service: string, ctx: OperationContext): Promise<void> {
  for (;;) {
    const c = await ctx.engine.containers.inspect(id, { signal: ctx.signal });
    const health = c.State.Health?.Status;
    if (health === 'healthy') return;
    if (!c.State.Health)
      throw errors.failed(`container for service "${service}" has no healthcheck configured`, { service });
    if (health === 'unhealthy')
      throw errors.failed(`dependency failed to start: container for service "${service}" is unhealthy`, {
        service,
      });
    if (!c.State.Running && c.State.Status !== 'restarting') {
      throw errors.failed(
        `dependency failed to start: container for service "${service}" exited (${c.State.ExitCode})`,
        { service },
      );
    }
    await sleep(ctx.pollMs, ctx.signal);
  }
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw errors.cancelled('interrupted');
  }
}

async function drain(
  stream: AsyncIterable<EngineProgress>,
  node: PlanNode,
  ctx: OperationContext,
): Promise<void> {
  for await (const p of stream) {
    const text = (p.stream ?? [p.id, p.status, p.progress].filter(Boolean).join(' ')).trimEnd();
    if (!text) continue;
    ctx.emit({
      kind: 'progress',
      node: node.id,
      resource: node.operation.resource,
      text,
      ...(p.id && p.status ? { layer: p.id, status: p.status } : {}),
      current: p.progressDetail?.current,
      total: p.progressDetail?.total,
    });
  }
}

async function tolerate(call: Promise<unknown>, ...kinds: Array<'not-found' | 'conflict' | 'not-modified'>) {
  try {
    await call;
  } catch (err) {
    if (!kinds.some((k) => isBerthError(err, k))) throw err;
  }
}

function definedOnly(args: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(args).filter((e): e is [string, string] => e[1] !== null));
}

import { errors } from '../errors/kinds.js';
import { loadProject } from '../loader/load-project.js';
import type { LoadOptions } from '../loader/options.js';
import type { Project as ProjectModel } from '../model/project.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { executePlan } from '../reconcile/execute.js';
import { observe } from '../reconcile/observe.js';
import type { Plan } from '../reconcile/plan.js';
import { type ImageCommandOptions, planImages } from '../reconcile/plan-images.js';
import { reconcile } from '../reconcile/reconcile.js';
import { reconcileDown } from '../reconcile/reconcile-down.js';
import {
  type LifecycleAction,
  type LifecycleOptions,
  planLifecycle,
} from '../reconcile/reconcile-lifecycle.js';
import { downProject } from './down.js';
import { type ExecOptions, execInService } from './exec.js';
import { type LogLine, type LogsOptions, projectLogs } from './logs.js';
import { openEngine } from './open-engine.js';
import type { CallOptions, ContainerInfo, ProjectDownOptions, PsOptions, UpOptions } from './options.js';
import { lockProject } from './project-lock.js';
import { psProject } from './ps.js';
import { type RemoveOptions, type RemoveResult, removeContainers } from './remove.js';
import { type RunOptions, runOneOff } from './run.js';
import type { Stdio } from './stdio.js';
import { type UpResult, upProject } from './up.js';

/** Where a {@link Project} runs. */
export interface ProjectEngineOptions {
  /** An engine client (any object with the Engine API client's surface). */
  engine?: EnginePort;
  /** Or the engine host to connect to (default: `BERTH_HOST`, `DOCKER_HOST`, the embedded engine). */
  host?: string;
}

/**
 * A Compose project on an engine, for library users and the CLI alike:
 *
 * ```ts
 * const project = Project.fromModel(model, { host: 'unix:///var/run/docker.sock' });
 * await project.up({ wait: true, onEvent: (e) => console.log(e) });
 * await project.down({ volumes: true });
 * ```
 *
 * `up` and `down` hold the project lock, so two of them on one machine never race.
 */
export class Project {
  readonly model: ProjectModel;
  readonly engine: EnginePort;
  private readonly owned?: { close(): void };
  private readonly lockKey: string;

  private constructor(model: ProjectModel, options: ProjectEngineOptions & { owned?: { close(): void } }) {
    this.model = model;
    this.owned = options.owned;
    if (options.engine) this.engine = options.engine;
    else {
      const owned = openEngine(options.host);
      this.engine = owned;
      this.owned = owned;
    }
    this.lockKey = options.host ?? process.env.BERTH_HOST ?? process.env.DOCKER_HOST ?? 'default';
  }

  /**
   * Loads the stack the way `docker compose` does (files, .env, profiles...) and connects to
   * the engine; with neither `engine` nor `host`, the embedded engine is used (and started).
   */
  static async load(options: LoadOptions & ProjectEngineOptions = {}): Promise<Project> {
    const { engine, host, ...load } = options;
    const model = await loadProject(load);
    if (engine) return new Project(model, { engine, host });
    const { connectEngine } = await import('../engine/connect.js');
    const client = await connectEngine({ host, env: load.env as NodeJS.ProcessEnv | undefined });
    return new Project(model, { engine: client, host, owned: client });
  }

  /** A project from an already loaded model. */
  static fromModel(model: ProjectModel, options: ProjectEngineOptions = {}): Project {
    return new Project(model, options);
  }

  /** The project name. */
  get name(): string {
    return this.model.name;
  }

  /** What `up` would do, without doing anything (no pull, no build, no change). */
  async plan(options: UpOptions = {}): Promise<Plan> {
    return reconcile(this.model, await observe(this.engine, this.name, options.signal), options);
  }

  /** What `down` would do. */
  async planDown(options: ProjectDownOptions = {}): Promise<Plan> {
    return reconcileDown(this.model, await observe(this.engine, this.name, options.signal), options);
  }

  /** Converges the engine to the project: creates, recreates, starts, removes what differs. */
  async up(options: UpOptions = {}): Promise<UpResult> {
    if (options.dryRun) return upProject(this.engine, this.model, options);
    return this.locked(options.signal, () => upProject(this.engine, this.model, options));
  }

  /** Stops and removes the project's containers and networks (and volumes with `volumes`). */
  async down(options: ProjectDownOptions = {}): Promise<Plan> {
    return this.locked(options.signal, () => downProject(this.engine, this.model, options));
  }

  /** `start`, `stop`, `restart`, `kill`, `pause`, `unpause` on the project's containers (`rm`: {@link rm}). */
  async lifecycle(
    action: Exclude<LifecycleAction, 'rm'>,
    options: LifecycleOptions & CallOptions = {},
  ): Promise<Plan> {
    const plan = planLifecycle(
      this.model,
      await observe(this.engine, this.name, options.signal),
      action,
      options,
    );
    await executePlan(this.engine, plan, {
      parallel: options.parallel,
      signal: options.signal,
      onEvent: options.onEvent,
    });
    return plan;
  }

  /** `rm`: removes stopped service containers, after asking unless `force`. */
  rm(options: RemoveOptions = {}): Promise<RemoveResult> {
    return removeContainers(this.engine, this.model, options);
  }

  /** `pull`, `build` or `push` the services' images, in parallel, with progress. */
  async images(
    kind: 'pull' | 'build' | 'push',
    options: ImageCommandOptions & CallOptions = {},
  ): Promise<Plan> {
    const plan = planImages(this.model, kind, options);
    await executePlan(this.engine, plan, {
      parallel: options.parallel,
      signal: options.signal,
      onEvent: options.onEvent,
    });
    return plan;
  }

  /** Runs a command in a running service container (`exec`); returns its exit code. */
  exec(options: ExecOptions, stdio: Stdio): Promise<number> {
    return execInService(this.engine, this.name, options, stdio);
  }

  /**
   * Runs a one-off container of a service (`run`), after bringing up what it needs (its
   * dependencies unless `noDeps`, networks, volumes, image); a service disabled by its profiles
   * can be run by name.
   */
  run(options: RunOptions, stdio: Stdio): Promise<{ exitCode: number; name: string }> {
    return runOneOff(this.engine, selectServices(this.model, [options.service]), options, stdio);
  }

  /** The project's containers. */
  ps(options: PsOptions = {}): Promise<ContainerInfo[]> {
    return psProject(this.engine, this.model, options);
  }

  /** The containers' output, line by line (`follow` until `signal` aborts). */
  logs(options: LogsOptions = {}): AsyncIterable<LogLine> {
    return projectLogs(this.engine, this.name, options);
  }

  /** Releases the engine connection this project opened (not one it was given). */
  close(): void {
    this.owned?.close();
  }

  private async locked<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const lock = await lockProject(this.lockKey, this.name, { signal });
    try {
      return await fn();
    } finally {
      lock.release();
    }
  }
}

/**
 * The project as Compose resolves service names given on its command line: each must be a
 * service of the stack, else `no such service: <name>` (Compose's wording); naming a service
 * that its profiles disable enables those profiles, so `up tool` or `run tool` works without
 * `--profile`. The one check every command's service selection goes through.
 */
export function selectServices(model: ProjectModel, names: readonly string[]): ProjectModel {
  const profiles = new Set<string>();
  for (const name of names) {
    if (Object.hasOwn(model.services, name)) continue;
    const disabled = Object.hasOwn(model.disabled_services, name) ? model.disabled_services[name] : undefined;
    if (!disabled) throw errors.notFound(`no such service: ${name}`);
    for (const p of disabled.profiles) profiles.add(p);
  }
  if (profiles.size === 0) return model;
  const services = { ...model.services };
  const disabled_services: Record<string, ProjectModel['services'][string]> = {};
  for (const [name, s] of Object.entries(model.disabled_services)) {
    if (s.profiles.some((p) => profiles.has(p))) services[name] = s;
    else disabled_services[name] = s;
  }
  return { ...model, services, disabled_services };
}

import { Flags } from '@oclif/core';
import { EngineClient } from '../client/engine-client.js';
import { resolveHost } from '../client/host.js';
import { isBerthError } from '../errors/kinds.js';
import { loadProject } from '../loader/load-project.js';
import type { Project as ProjectModel } from '../model/project.js';
import type { CallOptions } from '../project/options.js';
import { Project, selectServices } from '../project/project.js';
import type { ImageCommandOptions } from '../reconcile/plan-images.js';
import type { LifecycleAction, LifecycleOptions } from '../reconcile/reconcile-lifecycle.js';
import { BerthCommand } from './base-command.js';
import { type ProgressMode, type ProgressRenderer, progressRenderer } from './render/progress-renderer.js';

/** The global flags of every project command, as oclif parses them. */
export interface ProjectFlags {
  file?: string[];
  'project-name'?: string;
  'project-directory'?: string;
  profile?: string[];
  'env-file'?: string[];
  host?: string;
  progress?: string;
  parallel?: number;
}

/**
 * The base of the Compose-style commands (`up`, `down`, `ps`...): the global flags, loading the
 * project, connecting to the engine (the one place the CLI makes a client), progress rendering
 * and Ctrl-C. Commands stay thin: flags to options, one Project call, render.
 */
export abstract class ProjectCommand extends BerthCommand {
  static globalFlags = {
    ...BerthCommand.projectFlags,
    host: Flags.string({
      char: 'H',
      description: 'Engine host (default $BERTH_HOST, $DOCKER_HOST, the embedded engine)',
    }),
    progress: Flags.string({
      description: 'Progress output',
      options: ['auto', 'tty', 'plain', 'quiet', 'json'],
      default: 'auto',
    }),
    parallel: Flags.integer({
      description: 'Maximum number of engine operations at once (-1: no limit)',
      default: -1,
    }),
  };

  /**
   * The global flags for commands whose own `-f` means something else (`rm -f`, `logs -f`), as
   * in Compose: there the Compose file is `--file` only.
   */
  static globalFlagsOwnF = {
    ...ProjectCommand.globalFlags,
    file: Flags.string({ description: 'Compose file (repeatable, - for stdin)', multiple: true }),
  };

  private interrupt?: AbortController;

  /**
   * Loads the stack, resolves the service names given on the command line (`no such service: x`
   * before any engine is touched) and connects. With `allowNameOnly`, a missing stack file is
   * fine when `-p` names the project (`down -p x`, `ps -p x` act on the labelled resources);
   * then the names only filter what the engine has.
   */
  protected async openProject(
    flags: ProjectFlags,
    allowNameOnly = false,
    services: readonly string[] = [],
  ): Promise<Project> {
    const loaded = await this.loadModel(flags, allowNameOnly);
    const model = loaded ? selectServices(loaded, services) : emptyModel(this.nameOnly(flags));
    const engine = await this.connect(flags);
    return Project.fromModel(model, { engine, host: flags.host });
  }

  /** A client for commands that need no project (`ls`); close it when done. */
  protected async connect(flags: ProjectFlags): Promise<EngineClient> {
    // A configured host needs only a client; the embedded engine's starter (which loads the
    // engine's own modules) is imported only when that engine is the host.
    if (!resolveHost({ host: flags.host }).fromDefault) return new EngineClient({ host: flags.host });
    const { connectEngine } = await import('../engine/connect.js');
    return connectEngine({ host: flags.host });
  }

  /** The loaded stack, or undefined when `allowNameOnly` and only `-p` names the project. */
  private async loadModel(flags: ProjectFlags, allowNameOnly: boolean): Promise<ProjectModel | undefined> {
    try {
      return await loadProject({
        files: flags.file,
        projectName: flags['project-name'],
        projectDirectory: flags['project-directory'],
        profiles: flags.profile,
        envFiles: flags['env-file'],
        onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
      });
    } catch (err) {
      if (!allowNameOnly || !this.nameOnly(flags) || !isBerthError(err, 'not-found') || flags.file?.length)
        throw err;
      return undefined;
    }
  }

  private nameOnly(flags: ProjectFlags): string {
    return flags['project-name'] ?? process.env.COMPOSE_PROJECT_NAME ?? '';
  }

  /**
   * Opens the project, runs `fn` with the options every engine-changing call takes (`--parallel`,
   * Ctrl-C, progress on standard error), then finishes the progress display and closes.
   */
  protected async withProject<T>(
    flags: ProjectFlags,
    allowNameOnly: boolean,
    services: readonly string[],
    fn: (project: Project, call: CallOptions) => Promise<T>,
  ): Promise<T> {
    const project = await this.openProject(flags, allowNameOnly, services);
    const progress = this.progress(flags);
    const call = {
      parallel: this.parallel(flags),
      signal: this.interruptSignal(),
      onEvent: progress.onEvent,
    };
    try {
      return await fn(project, call).finally(() => progress.finish());
    } finally {
      project.close();
    }
  }

  /** Runs a lifecycle action (`stop`, `start`, ...) on the selected services, with progress. */
  protected async lifecycle(
    action: Exclude<LifecycleAction, 'rm'>,
    flags: ProjectFlags,
    services: string[],
    options: LifecycleOptions = {},
  ): Promise<void> {
    await this.withProject(flags, true, services, (project, call) =>
      project.lifecycle(action, { ...options, services, ...call }),
    );
  }

  /** Runs `pull`, `build` or `push` for the selected services, with progress. */
  protected async images(
    kind: 'pull' | 'build' | 'push',
    flags: ProjectFlags,
    services: string[],
    options: ImageCommandOptions = {},
  ): Promise<void> {
    await this.withProject(flags, false, services, (project, call) =>
      project.images(kind, { ...options, services, ...call }),
    );
  }

  /**
   * Splits `[flags] SERVICE [COMMAND...]` (exec, run) so that the command's own options
   * (`sh -c ...`) are never taken for berth's: returns berth's part and the command.
   */
  protected splitCommand(flagDefs: Record<string, { type: string; char?: string }>): [string[], string[]] {
    const withValue = new Set<string>();
    for (const [name, def] of Object.entries(flagDefs)) {
      if (def.type !== 'option') continue;
      withValue.add(`--${name}`);
      if (def.char) withValue.add(`-${def.char}`);
    }
    const argv = this.argv;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a === '--') return [argv.slice(0, i + 2), argv.slice(i + 2)];
      if (!a.startsWith('-')) return [argv.slice(0, i + 1), argv.slice(i + 1)];
      if (withValue.has(a)) i++;
    }
    return [argv, []];
  }

  /** The progress renderer `--progress` asks for, on standard error. */
  protected progress(flags: ProjectFlags): ProgressRenderer {
    return progressRenderer((flags.progress ?? 'auto') as ProgressMode, process.stderr);
  }

  /** `--parallel` as an executor bound (undefined: no limit). */
  protected parallel(flags: ProjectFlags): number | undefined {
    return flags.parallel && flags.parallel > 0 ? flags.parallel : undefined;
  }

  /**
   * An AbortSignal fired by the first SIGINT/SIGTERM: nothing new starts, what is in flight
   * finishes, so nothing is left half-made. A second Ctrl-C exits at once.
   */
  protected interruptSignal(): AbortSignal {
    if (this.interrupt) return this.interrupt.signal;
    const controller = new AbortController();
    this.interrupt = controller;
    // The reason is the signal's name so the exit code can follow it: 130 for SIGINT, 143 for SIGTERM.
    const onSignal = (name: NodeJS.Signals) => {
      if (controller.signal.aborted) process.exit(name === 'SIGTERM' ? 143 : 130);
      process.stderr.write('\nGracefully stopping... (press Ctrl+C again to force)\n');
      controller.abort(name);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return controller.signal;
  }
}

/** The model of a project known only by name: no services, nothing declared. */
export function emptyModel(name: string): ProjectModel {
  return {
    name,
    working_dir: process.cwd(),
    config_files: [],
    environment: {},
    services: {},
    disabled_services: {},
    networks: {},
    volumes: {},
    secrets: {},
    configs: {},
    extensions: {},
  };
}

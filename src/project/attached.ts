import type { EnginePort } from '../reconcile/engine-port.js';
import { Label } from '../reconcile/labels.js';
import type { LogLine } from './logs.js';
import type { Project } from './project.js';

/** Options of the attached phase of `up`. */
export interface AttachedOptions {
  /** Ctrl-C: stop following and stop the stack. */
  signal: AbortSignal;
  /** `--abort-on-container-exit`: stop the stack when any container exits. */
  abortOnExit?: boolean;
  /** `--exit-code-from svc`: the exit code of that service's container is returned (implies abortOnExit). */
  exitCodeFrom?: string;
  services?: string[];
  onLine: (line: LogLine) => void;
  /** Stop timeout in seconds. */
  timeout?: number;
}

/**
 * The attached phase of `up`: streams the services' output until every container has exited,
 * a container exits under `--abort-on-container-exit`, or the user presses Ctrl-C; then stops
 * the stack (unless it stopped by itself). Returns the exit code `up` should end with.
 */
export async function runAttached(project: Project, options: AttachedOptions): Promise<number> {
  const done = new AbortController();
  const stop = () => done.abort();
  options.signal.addEventListener('abort', stop, { once: true });
  if (options.signal.aborted) stop();
  const abortOnExit = options.abortOnExit || options.exitCodeFrom !== undefined;
  let exitCode = 0;
  const watcher = watchExits(project.engine, project.name, done.signal, async (service, code) => {
    if (options.exitCodeFrom === service) exitCode = code;
    else if (!options.exitCodeFrom && abortOnExit && code !== 0 && exitCode === 0) exitCode = code;
    const running = await project.ps({ services: options.services });
    if (abortOnExit || running.length === 0) stop();
  });
  // Containers that exited before the watch began (one-shot services) end nothing; an empty stack ends at once.
  if ((await project.ps({ services: options.services })).length === 0) stop();
  const following = (async () => {
    for await (const line of project.logs({
      follow: true,
      services: options.services,
      signal: done.signal,
    })) {
      options.onLine(line);
    }
  })();
  await Promise.all([watcher, following]);
  options.signal.removeEventListener('abort', stop);
  if (options.signal.aborted || abortOnExit) {
    await project.lifecycle('stop', { services: options.services, timeout: options.timeout });
  }
  return options.signal.aborted ? interruptExitCode(options.signal) : exitCode;
}

/**
 * Ctrl-C (or SIGTERM) while attached `up` was still creating or starting, say while a service
 * waited for a dependency's health: the services are stopped, as Compose does ("Gracefully
 * stopping..."). Nothing is half-made: the executor let what was in flight finish, and every
 * container it created carries its labels, so the next `up` converges. Returns the exit code.
 */
export async function stopInterruptedUp(
  project: Project,
  options: Pick<AttachedOptions, 'signal' | 'services' | 'timeout'>,
): Promise<number> {
  await project.lifecycle('stop', { services: options.services, timeout: options.timeout });
  return interruptExitCode(options.signal);
}

/** 130 after SIGINT (Ctrl-C), 143 after SIGTERM: the shell's codes, which Compose exits with. */
function interruptExitCode(signal: AbortSignal): number {
  return signal.reason === 'SIGTERM' ? 143 : 130;
}

async function watchExits(
  engine: EnginePort,
  project: string,
  signal: AbortSignal,
  onExit: (service: string, code: number) => Promise<void>,
): Promise<void> {
  const filters = { type: ['container'], event: ['die'], label: [`${Label.project}=${project}`] };
  try {
    for await (const e of engine.system.events({ filters, signal })) {
      if (e.Actor.Attributes[Label.oneoff] === 'True') continue;
      await onExit(e.Actor.Attributes[Label.service] ?? '', Number(e.Actor.Attributes.exitCode ?? 0));
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}

/**
 * The embedded engine's public surface for src/ (the CLI's `berth engine` commands) and for
 * library users: run an engine in this process, and the default locations.
 */
import { createEngine, type Engine, type EngineConfig, engineLogPath, enginePidPath } from './engine.js';

export { isEnginePid, processAlive, readPidFile } from './daemon/pid-lock.js';
export type { Engine, EngineConfig } from './engine.js';
export { createEngine, engineLogPath, enginePidPath } from './engine.js';
export { EngineError } from './errors.js';
export { parseAddressPools } from './network/address-pool-flag.js';
export { API_VERSION, MIN_API_VERSION } from './server/api-version.js';
export { socketAnswers, socketPathOf } from './server/unix-socket.js';
export { ENGINE_VERSION } from './system/engine-version.js';

/** Where the engine keeps its state unless told otherwise. */
export const DEFAULT_DATA_ROOT = '/var/lib/berth';
/** Where the engine listens unless told otherwise. */
export const DEFAULT_ENGINE_HOST = 'unix:///run/berth/engine.sock';

/** The data root: the flag, else `BERTH_DATA_ROOT`, else `/var/lib/berth`. */
export function resolveDataRoot(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.BERTH_DATA_ROOT || DEFAULT_DATA_ROOT;
}

/** Runtime files: `/run/berth` for the default data root (tmpfs, gone at reboot), else beside the data. */
export function defaultRunRoot(dataRoot: string): string {
  return dataRoot === DEFAULT_DATA_ROOT ? '/run/berth' : `${dataRoot}/run`;
}

/**
 * Runs an engine in this process until SIGTERM or SIGINT, then shuts it down gracefully
 * (containers keep running: their monitors own them). Resolves once stopped.
 */
export async function runEngine(config: EngineConfig): Promise<void> {
  const engine: Engine = createEngine({ runRoot: defaultRunRoot(config.dataRoot), ...config });
  await engine.start();
  // A background task's forgotten rejection must not take every client's stream down with it:
  // the daemon logs it and carries on.
  const onRejection = (reason: unknown) =>
    engine.ctx.log('error', 'unhandled rejection', { error: (reason as Error)?.stack ?? String(reason) });
  process.on('unhandledRejection', onRejection);
  // An uncaught exception leaves state unknown: record it in the (rotating) log, then exit.
  process.once('uncaughtException', (err) => {
    engine.ctx.log('error', 'uncaught exception, exiting', { error: err.stack ?? String(err) });
    process.exit(70);
  });
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      engine.ctx.log('info', 'shutting down', { signal });
      void engine.stop().finally(() => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        process.off('unhandledRejection', onRejection);
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** Paths of the files an engine keeps in its data root, for status and logs commands. */
export function engineFiles(dataRoot: string): { log: string; pid: string } {
  return { log: engineLogPath(dataRoot), pid: enginePidPath(dataRoot) };
}

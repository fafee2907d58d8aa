/**
 * The embedded engine's public surface for src/ (the CLI's `berth engine` commands) and for
 * library users: run an engine in this process, and the default locations.
 */
import { createEngine, type Engine, type EngineConfig } from './engine.js';
import { defaultRunRoot } from './locations.js';

export { isEnginePid, processAlive, readPidFile } from './daemon/pid-lock.js';
export type { Engine, EngineConfig } from './engine.js';
export { createEngine } from './engine.js';
export { EngineError } from './errors.js';
export {
  DEFAULT_DATA_ROOT,
  DEFAULT_ENGINE_HOST,
  defaultRunRoot,
  engineFiles,
  engineLogPath,
  enginePidPath,
  resolveDataRoot,
} from './locations.js';
export { parseAddressPools } from './network/address-pool-flag.js';
export { API_VERSION, MIN_API_VERSION } from './server/api-version.js';
export { socketAnswers, socketPathOf } from './server/unix-socket.js';
export { ENGINE_VERSION } from './system/engine-version.js';

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

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ENGINE_HOST, engineFiles, resolveDataRoot } from '../../runtime/locations.js';

/** Where an embedded engine lives: its data root, socket, and files in the data root. */
export interface EngineLocation {
  dataRoot: string;
  /** `unix:///run/berth/engine.sock` unless configured. */
  host: string;
  pidFile: string;
  logFile: string;
}

/** The engine the `berth engine` commands act on: flags, else `BERTH_DATA_ROOT`, else defaults. */
export function engineLocation(
  flags: { 'data-root'?: string; host?: string },
  env = process.env,
): EngineLocation {
  const dataRoot = resolveDataRoot(flags['data-root'], env);
  const files = engineFiles(dataRoot);
  return { dataRoot, host: flags.host ?? DEFAULT_ENGINE_HOST, pidFile: files.pid, logFile: files.log };
}

/**
 * The daemon's entry point, `dist/runtime/main.js`, found beside this module when berth runs
 * built, or in dist/ when it runs from sources (tests).
 */
export function engineMainPath(): string {
  const candidates = ['../../runtime/main.js', '../../dist/runtime/main.js'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

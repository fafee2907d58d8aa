/**
 * The embedded engine's default locations and the pure helpers that derive its paths. Kept free
 * of heavy imports so that the CLI can find an engine without loading the engine itself.
 */
import { join } from 'node:path';

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

/** The engine's log file in its data root. */
export const engineLogPath = (dataRoot: string): string => join(dataRoot, 'engine.log');
/** The engine's pid file (its single-instance lock) in its data root. */
export const enginePidPath = (dataRoot: string): string => join(dataRoot, 'engine.pid');

/** Paths of the files an engine keeps in its data root, for status and logs commands. */
export function engineFiles(dataRoot: string): { log: string; pid: string } {
  return { log: engineLogPath(dataRoot), pid: enginePidPath(dataRoot) };
}

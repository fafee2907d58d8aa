import { readFileSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { EngineError } from '../errors.js';

/** True when a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the pid is alive and looks like a berth engine (not a recycled pid). */
export function isEnginePid(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('runtime/main');
  } catch {
    return false;
  }
}

/** Reads the pid in a pid file, or undefined. */
export async function readPidFile(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Takes the data root's pid file as a lock: created exclusively, so two engines never share a
 * data root. A pid file left by a killed engine (its pid dead or reused by something else) is
 * taken over. Returns the release function.
 */
export async function acquirePidLock(path: string, pid = process.pid): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o644);
      await fh.writeFile(`${pid}\n`);
      await fh.close();
      return async () => {
        if ((await readPidFile(path)) === pid) await rm(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = await readPidFile(path);
      if (holder !== undefined && holder !== pid && isEnginePid(holder)) {
        throw new EngineError(
          'conflict',
          `the data root is in use by another engine (pid ${holder}, ${path})`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new EngineError('conflict', `could not take the engine lock ${path}`);
}

import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** How a container ended, from conmon's files. */
export interface ExitRecord {
  /** The exit code; 128+signal when killed by a signal (conmon's convention, as Docker's). */
  code: number;
  oomKilled: boolean;
}

/** Reads conmon's exit file; undefined while the container has not exited. */
export async function readExit(exitFile: string, persistDir: string): Promise<ExitRecord | undefined> {
  const text = await readFile(exitFile, 'utf8').catch(() => undefined);
  if (text === undefined || text.trim() === '') return undefined;
  const code = Number.parseInt(text.trim(), 10);
  const oom = await readFile(`${persistDir}/oom`, 'utf8').then(
    () => true,
    () => false,
  );
  return { code: Number.isFinite(code) ? code : 255, oomKilled: oom };
}

/**
 * Calls `onExit` once when conmon records the container's exit: inotify on the exit directory,
 * with a slow poll as a safety net (inotify can miss events on some filesystems). Returns a stop function.
 */
export function watchExit(
  exitDir: string,
  exitFile: string,
  persistDir: string,
  onExit: (exit: ExitRecord) => void,
  pollMs = 1000,
): () => void {
  let done = false;
  let watcher: FSWatcher | undefined;
  const check = async () => {
    if (done) return;
    const exit = await readExit(exitFile, persistDir);
    if (!exit || done) return;
    stop();
    onExit(exit);
  };
  const timer = setInterval(() => void check(), pollMs);
  timer.unref();
  try {
    watcher = watch(exitDir, () => void check());
    watcher.on('error', () => undefined);
  } catch {
    // the poll covers it
  }
  function stop() {
    done = true;
    clearInterval(timer);
    watcher?.close();
  }
  void check();
  return stop;
}

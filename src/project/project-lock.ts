import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { errors } from '../errors/kinds.js';

/** A held project lock; release it exactly once. */
export interface ProjectLock {
  release(): void;
}

/**
 * Takes the lock of `project` on `engine` (an exclusive file in the temp directory), so two
 * `up`/`down` of one project on one machine never plan against the same snapshot. A lock whose
 * owner process is gone is taken over. Waits up to `timeoutMs`.
 */
export async function lockProject(
  engine: string,
  project: string,
  opts: { timeoutMs?: number; signal?: AbortSignal; dir?: string } = {},
): Promise<ProjectLock> {
  const dir = opts.dir ?? join(tmpdir(), 'berth-locks');
  mkdirSync(dir, { recursive: true });
  const key = createHash('sha256').update(`${engine}\n${project}`).digest('hex').slice(0, 16);
  const file = join(dir, `${project}-${key}.lock`);
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (ownerGone(file)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw errors.timeout(`project "${project}" is locked by another berth process`);
    if (opts.signal?.aborted) throw errors.cancelled('interrupted');
    await delay(100);
  }
}

function ownerGone(file: string): boolean {
  let pid: number;
  try {
    const text = readFileSync(file, 'utf8');
    // An empty file is a lock being written right now, not an abandoned one.
    if (!text) return false;
    pid = Number(text);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

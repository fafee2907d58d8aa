import { open, readFile, rm, stat } from 'node:fs/promises';

/**
 * A lock shared by every berth engine on the machine, held while a subnet is chosen and its
 * bridge created, so that two engines starting at once never pick the same free subnet.
 * A lock left by a dead process is taken over.
 */
export async function withHostLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!(await holderAlive(path))) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the network lock ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}

/** Whether the pid written in the lock file is a live process. */
async function holderAlive(path: string): Promise<boolean> {
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (!pid) {
    // Just created, pid not yet written: young means alive.
    const info = await stat(path).catch(() => undefined);
    return Boolean(info && Date.now() - info.mtimeMs < 5000);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

import { readFile } from 'node:fs/promises';
import type { Host } from '../host/host.js';
import { checkTerminalSize } from '../supervisor/conmon-control.js';

/**
 * Resizes a TTY exec's terminal. The runtime gives the process its own pty inside the container;
 * its slave is the process's stdin, reachable from the host as `/proc/<pid>/fd/0`, so the host's
 * stty sets the size there (and the kernel sends SIGWINCH to the foreground group).
 */
export async function resizeExecTerminal(
  host: Host,
  pidFile: string,
  height: number,
  width: number,
  waitMs = 2000,
): Promise<void> {
  checkTerminalSize(height, width);
  const deadline = Date.now() + waitMs;
  let pid = 0;
  // The runtime writes the pid file once the process exists; a resize may arrive just before.
  while (!pid && Date.now() < deadline) {
    pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim()) || 0;
    if (!pid) await new Promise((r) => setTimeout(r, 20));
  }
  if (!pid) return;
  await host.run('stty', ['-F', `/proc/${pid}/fd/0`, 'rows', String(height), 'cols', String(width)], {
    allowFailure: true,
  });
}

import { finished } from 'node:stream/promises';
import type { AttachedIo } from '../reconcile/engine-port.js';

/** The terminal (or pipes) a one-off process is connected to. */
export interface Stdio {
  stdin: NodeJS.ReadStream | NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Connects an attached process to local stdio until its output ends: stdin is forwarded when
 * `interactive` (in raw mode on a TTY, so keys reach the process as typed), output is copied.
 */
export async function pipeAttached(
  io: AttachedIo,
  stdio: Stdio,
  interactive: boolean,
  resize?: (size: { h: number; w: number }) => Promise<void>,
): Promise<void> {
  const input = stdio.stdin as NodeJS.ReadStream;
  // A TTY process follows the terminal's size, now and whenever the window changes.
  const terminal = stdio.stdout as NodeJS.WriteStream;
  const onResize = () => {
    if (terminal.columns && terminal.rows)
      resize?.({ h: terminal.rows, w: terminal.columns }).catch(() => {});
  };
  if (resize && terminal.isTTY) {
    onResize();
    terminal.on('resize', onResize);
  }
  const raw = interactive && input.isTTY === true;
  if (raw) input.setRawMode(true);
  if (interactive) input.pipe(io.stdin);
  io.stdout.pipe(stdio.stdout, { end: false });
  io.stderr.pipe(stdio.stderr, { end: false });
  try {
    await Promise.all([finished(io.stdout).catch(() => {}), finished(io.stderr).catch(() => {})]);
  } finally {
    terminal.off?.('resize', onResize);
    if (interactive) input.unpipe(io.stdin);
    if (raw) input.setRawMode(false);
    if (interactive) input.pause();
    io.close();
  }
}

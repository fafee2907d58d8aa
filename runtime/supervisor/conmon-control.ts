import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid } from '../errors.js';

/** Refuses a terminal size that is not two whole numbers a tty accepts (0–65535). */
export function checkTerminalSize(height: number, width: number): void {
  const fits = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;
  if (!fits(height) || !fits(width)) throw invalid(`invalid terminal size ${height}x${width}`);
}

/**
 * Resizes a TTY container's terminal through conmon's control FIFO (`<bundle>/ctl`, message
 * `1 <height> <width>`). Non-blocking: when conmon is gone the FIFO has no reader and this is a no-op.
 */
export async function resizeTerminal(bundle: string, height: number, width: number): Promise<void> {
  checkTerminalSize(height, width);
  const fh = await open(join(bundle, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK).catch(
    () => undefined,
  );
  if (!fh) return;
  try {
    await fh.write(`1 ${height} ${width}\n`);
  } finally {
    await fh.close();
  }
}

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid } from '../errors.js';

/**
 * Resizes a TTY container's terminal through conmon's control FIFO (`<bundle>/ctl`, message
 * `1 <height> <width>`). Non-blocking: when conmon is gone the FIFO has no reader and this is a no-op.
 */
export async function resizeTerminal(bundle: string, height: number, width: number): Promise<void> {
  if (
    !Number.isInteger(height) ||
    !Number.isInteger(width) ||
    height < 0 ||
    width < 0 ||
    height > 65535 ||
    width > 65535
  ) {
    throw invalid(`invalid terminal size ${height}x${width}`);
  }
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

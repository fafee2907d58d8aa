import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

/** The last `lines` lines of a file (all of it when `lines` is undefined); missing files are empty. */
export function readLogTail(path: string, lines?: number): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return '';
  }
  if (lines === undefined) return text;
  const all = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const kept = lines <= 0 ? [] : all.slice(-lines);
  return kept.length ? `${kept.join('\n')}\n` : '';
}

/**
 * Follows a log file from its current end, calling `onText` with what is appended, until the
 * signal aborts. A file replaced (another inode) or shrunk was rotated: reading starts again
 * from its beginning.
 */
export async function followLog(
  path: string,
  onText: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const first = statSync(path, { throwIfNoEntry: false });
  let offset = first?.size ?? 0;
  let inode = first?.ino;
  while (!signal.aborted) {
    const st = statSync(path, { throwIfNoEntry: false });
    const size = st?.size ?? 0;
    if (st?.ino !== inode || size < offset) offset = 0;
    inode = st?.ino;
    if (size > offset) {
      const fd = openSync(path, 'r');
      try {
        const buf = Buffer.alloc(size - offset);
        const n = readSync(fd, buf, 0, buf.length, offset);
        offset += n;
        onText(buf.subarray(0, n).toString('utf8'));
      } finally {
        closeSync(fd);
      }
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 250);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

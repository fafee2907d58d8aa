import type { ApiResponse } from '../api/route.js';

/** One line of Docker's JSON progress stream (pull, push). */
export interface ProgressMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  aux?: Record<string, unknown>;
  errorDetail?: { message: string };
  error?: string;
}

/** The 12-hex short form Docker shows for a layer (`sha256:` dropped). */
export const shortId = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/** A status line, optionally for one layer: `{"status":"Pull complete","id":"3f4d90098f5b"}`. */
export function statusLine(status: string, id?: string): ProgressMessage {
  return id === undefined ? { status } : { status, id };
}

/** A progress line with Docker's bar: `[=====>    ]  1.2MB/3.4MB`. */
export function progressLine(status: string, id: string, current: number, total: number): ProgressMessage {
  return { status, progressDetail: { current, total }, progress: progressBar(current, total), id };
}

/** An error after the 200 was sent: Docker clients read `errorDetail`. */
export function errorLine(message: string): ProgressMessage {
  return { errorDetail: { message }, error: message };
}

/** Docker's text bar: 50 columns, then `current/total` in decimal units. */
export function progressBar(current: number, total: number): string {
  const width = 50;
  if (total <= 0) return `${humanSize(current)}`.padStart(8);
  const filled = Math.min(width, Math.floor((current / total) * width));
  const bar =
    filled >= width ? `${'='.repeat(width - 1)}>` : `${'='.repeat(filled)}>${' '.repeat(width - filled - 1)}`;
  return `[${bar}] ${humanSize(current).padStart(8)}/${humanSize(total)}`;
}

/** Go's `units.HumanSize`: four significant digits, decimal units (`1.23MB`). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return `${Number(value.toPrecision(4))}${units[i]}`;
}

/** Serializes messages as the engine writes them: one JSON object per line, `\r\n` separated. */
export function encodeLine(message: ProgressMessage): string {
  return `${JSON.stringify(message)}\r\n`;
}

/**
 * Answers 200 with a JSON-lines progress stream and runs `work` writing to it; a failure after
 * the 200 becomes the stream's last line (`errorDetail`), as Docker clients expect.
 */
export async function progressStream(
  res: ApiResponse,
  work: (report: (m: ProgressMessage) => void) => Promise<void>,
): Promise<void> {
  const out = res.stream(200, 'application/json');
  try {
    await work((m) => out.write(encodeLine(m)));
  } catch (err) {
    out.write(encodeLine(errorLine((err as Error).message)));
  } finally {
    out.end();
  }
}

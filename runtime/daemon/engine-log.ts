import { closeSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';

/** Log levels, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The engine's log: one line per entry, bounded by rotating to `<file>.1`. */
export interface EngineLog {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** One log line: time, level, message, then `key=value` fields (values JSON-quoted when needed). */
export function formatLogLine(
  time: Date,
  level: LogLevel,
  message: string,
  fields: Record<string, unknown> = {},
) {
  const extra = Object.entries(fields).map(([k, v]) => {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return ` ${k}=${/[\s"=]/.test(text ?? '') ? JSON.stringify(text) : text}`;
  });
  return `time="${time.toISOString()}" level=${level} msg=${JSON.stringify(message)}${extra.join('')}\n`;
}

/**
 * Opens the log file for appending. When it passes `maxBytes` it is renamed to `<path>.1`
 * (replacing the previous one) and a new file is started, so the log never grows without bound.
 * `echo` also writes each line to stderr (foreground `berth engine run`).
 */
export function openEngineLog(
  path: string,
  options: { level?: LogLevel; maxBytes?: number; echo?: boolean; now?: () => number } = {},
): EngineLog {
  const min = LOG_LEVELS.indexOf(options.level ?? 'info');
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const now = options.now ?? Date.now;
  // Synchronous appends: few lines, and the last ones before a crash must reach the file.
  let fd = openSync(path, 'a', 0o600);
  let size = fstatSync(fd).size;
  return {
    log(level, message, fields) {
      if (LOG_LEVELS.indexOf(level) < min) return;
      const line = formatLogLine(new Date(now()), level, message, fields);
      if (options.echo) process.stderr.write(line);
      if (fd < 0) return;
      if (size + line.length > maxBytes && size > 0) {
        closeSync(fd);
        renameSync(path, `${path}.1`);
        fd = openSync(path, 'a', 0o600);
        size = 0;
      }
      size += Buffer.byteLength(line);
      writeSync(fd, line);
    },
    async close() {
      if (fd >= 0) closeSync(fd);
      fd = -1;
    },
  };
}

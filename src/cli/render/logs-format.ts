import type { LogLine } from '../../project/logs.js';

const PALETTE = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** Options of the log line formatter. */
export interface LogFormatOptions {
  color: boolean;
  /** `--no-log-prefix`. */
  prefix: boolean;
  /** Width the container names are padded to. */
  width: number;
}

/**
 * `web-1  | text`, with one colour per container (stable within a run), the way Compose
 * prefixes attached and `logs` output.
 */
export function logFormatter(options: LogFormatOptions): (line: LogLine) => string {
  const colors = new Map<string, number>();
  return (line) => {
    if (!options.prefix) return line.text;
    const name = line.container.padEnd(options.width);
    if (!options.color) return `${name} | ${line.text}`;
    let code = colors.get(line.container);
    if (code === undefined) {
      code = PALETTE[colors.size % PALETTE.length];
      colors.set(line.container, code);
    }
    return `\u001b[${code}m${name} |\u001b[0m ${line.text}`;
  };
}

import type { ProgressEvent } from '../../reconcile/progress-event.js';

/** ANSI colouring that is a no-op when colours are off. */
export function painter(enabled: boolean) {
  const wrap = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { red: wrap(31), green: wrap(32), yellow: wrap(33), blue: wrap(34), dim: wrap(2), bold: wrap(1) };
}

/** Colours are on for a TTY unless `NO_COLOR` is set (https://no-color.org). */
export function colorsEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** `1.2s` */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** One plain line for an event (`--progress plain`). */
export function plainLine(e: ProgressEvent, paint = painter(false)): string {
  switch (e.kind) {
    case 'warning':
      return paint.yellow(`warning: ${e.message}`);
    case 'progress':
      return `${e.resource} ${e.text}`;
    case 'operation': {
      const elapsed = e.elapsedMs === undefined ? '' : ` ${seconds(e.elapsedMs)}`;
      if (e.state === 'started') return `${e.resource} ${e.operation} started (${e.cause})`;
      if (e.state === 'failed') return paint.red(`${e.resource} ${e.operation} failed${elapsed}: ${e.error}`);
      if (e.state === 'skipped') return paint.dim(`${e.resource} ${e.operation} skipped`);
      return `${e.resource} ${e.operation} ${paint.green('done')}${elapsed}`;
    }
  }
}

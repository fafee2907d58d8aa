import type { ProgressEvent, ProgressListener } from '../../reconcile/progress-event.js';
import { colorsEnabled, painter, plainLine } from './progress-format.js';
import { LiveView } from './progress-live.js';

/** `--progress` values. */
export type ProgressMode = 'auto' | 'tty' | 'plain' | 'quiet' | 'json';

/** Renders progress events as they come, and finishes the display at the end. */
export interface ProgressRenderer {
  onEvent: ProgressListener;
  finish(): void;
}

/**
 * The renderer for a mode: `tty` a live view (one line per resource, redrawn), `plain` one line
 * per event, `json` one JSON object per line, `quiet` nothing; `auto` is `tty` on a terminal and
 * `plain` otherwise. Everything goes to `out` (standard error, as Compose does).
 */
export function progressRenderer(
  mode: ProgressMode,
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv = process.env,
): ProgressRenderer {
  const resolved = mode === 'auto' ? (out.isTTY ? 'tty' : 'plain') : mode;
  const paint = painter(colorsEnabled(out, env));
  switch (resolved) {
    case 'quiet':
      return { onEvent: () => {}, finish: () => {} };
    case 'json':
      return { onEvent: (e: ProgressEvent) => out.write(`${JSON.stringify(e)}\n`), finish: () => {} };
    case 'plain':
      return { onEvent: (e: ProgressEvent) => out.write(`${plainLine(e, paint)}\n`), finish: () => {} };
    default: {
      const view = new LiveView(out, paint, Date.now);
      return { onEvent: (e) => view.update(e), finish: () => view.finish() };
    }
  }
}

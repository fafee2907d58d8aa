import type { ProgressEvent } from '../../reconcile/progress-event.js';
import type { painter } from './progress-format.js';

type Paint = ReturnType<typeof painter>;
type ProgressUpdate = Extract<ProgressEvent, { kind: 'progress' }>;

/** One image layer of a pull or push: its last status and byte counts. */
export interface LayerProgress {
  id: string;
  status: string;
  current?: number;
  total?: number;
}

/** What a running pull, push or build has reported so far, for the lines under its row. */
export interface ProgressDetail {
  /** Layers in the order they were first reported. */
  layers: LayerProgress[];
  /** The build step being run (`Step 2/5 : RUN make`). */
  step?: string;
  /** The last output line of that step. */
  output?: string;
}

const STEP = /^(Step \d+\/\d+ :|#\d+ \[)/;

/** The detail after one progress event. Pure: returns a new value, `detail` is not changed. */
export function nextDetail(detail: ProgressDetail | undefined, e: ProgressUpdate): ProgressDetail {
  const d: ProgressDetail = {
    layers: [...(detail?.layers ?? [])],
    step: detail?.step,
    output: detail?.output,
  };
  // `{id: 'latest', status: 'Pulling from library/x'}` names a tag, not a layer.
  if (e.layer && !e.status?.startsWith('Pulling from')) {
    const layer = { id: e.layer, status: e.status ?? e.text, current: e.current, total: e.total };
    const at = d.layers.findIndex((l) => l.id === e.layer);
    if (at >= 0) d.layers[at] = layer;
    else d.layers.push(layer);
    return d;
  }
  const line = e.text
    .split('\n')
    .filter((l) => l.trim())
    .at(-1)
    ?.trim();
  if (!line) return d;
  if (STEP.test(line)) return { ...d, step: line, output: undefined };
  if (!line.startsWith('--->') && !line.startsWith('Removing intermediate')) d.output = line;
  return d;
}

/**
 * The lines drawn under a running resource, each at most `width` columns: one per layer with a
 * bar when its size is known (`   a1b2c3d4e5f6 Downloading [=====>    ] 1.2MB/4.5MB`), else the
 * build step and, dimmed, its latest output.
 */
export function detailLines(detail: ProgressDetail | undefined, width: number, paint: Paint): string[] {
  if (!detail) return [];
  const clip = (s: string) => (s.length > width ? `${s.slice(0, width - 1)}…` : s);
  const lines = detail.layers.map((l) => {
    const head = `    ${l.id.slice(0, 12).padEnd(12)} ${l.status}`;
    if (!l.total || l.current === undefined) return clip(head);
    const amount = `${bytes(l.current)}/${bytes(l.total)}`;
    const room = width - head.length - amount.length - 4;
    if (room < 10) return clip(`${head} ${amount}`);
    return `${head} ${bar(l.current / l.total, Math.min(room, 50))} ${amount}`;
  });
  if (detail.step) lines.push(clip(`    ${detail.step}`));
  if (detail.output) lines.push(paint.dim(clip(`      ${detail.output}`)));
  return lines;
}

/** `[=====>    ]` with `inner` columns between the brackets. */
export function bar(fraction: number, inner: number): string {
  const filled = Math.floor(Math.max(0, Math.min(1, fraction)) * inner);
  if (filled >= inner) return `[${'='.repeat(inner)}]`;
  return `[${'='.repeat(filled)}>${' '.repeat(inner - filled - 1)}]`;
}

/** Bytes in the decimal units docker prints: `512B`, `1.2kB`, `4.5MB`, `1.1GB`. */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value}B` : `${value.toFixed(value < 10 ? 2 : 1)}${units[unit]}`;
}

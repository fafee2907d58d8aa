import type { ProgressEvent } from '../../reconcile/progress-event.js';
import { detailLines, nextDetail, type ProgressDetail } from './progress-detail.js';
import { type painter, seconds } from './progress-format.js';

interface Row {
  resource: string;
  text: string;
  state: 'started' | 'done' | 'failed' | 'skipped';
  startedAt: number;
  elapsedMs?: number;
  /** Layers and build steps, drawn under the row while it runs. */
  detail?: ProgressDetail;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * The terminal view: a header with the count of finished resources and one line per resource
 * with its current operation, state and elapsed time, redrawn in place (ticking while something
 * runs); under a running pull or push one line per layer with a progress bar, under a running
 * build its current step and latest output. Warnings print above the view.
 */
export class LiveView {
  private readonly rows = new Map<string, Row>();
  private drawn = 0;
  private frame = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly out: NodeJS.WritableStream & { columns?: number },
    private readonly paint: ReturnType<typeof painter>,
    private readonly now: () => number,
  ) {}

  update(e: ProgressEvent): void {
    if (e.kind === 'warning') {
      this.clear();
      this.out.write(`${this.paint.yellow(`warning: ${e.message}`)}\n`);
    } else if (e.kind === 'progress') {
      const row = this.rows.get(e.resource);
      if (row) row.detail = nextDetail(row.detail, e);
    } else {
      const row = this.rows.get(e.resource);
      const startedAt = e.state === 'started' || !row ? this.now() : row.startedAt;
      const text = e.state === 'failed' ? `${e.operation}: ${e.error}` : e.operation;
      this.rows.set(e.resource, {
        resource: e.resource,
        text,
        state: e.state,
        startedAt,
        elapsedMs: e.elapsedMs,
        detail: e.state === 'started' ? undefined : row?.detail,
      });
    }
    this.draw();
    if (!this.timer) {
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
  }

  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.draw();
  }

  private clear(): void {
    if (this.drawn) this.out.write(`\u001b[${this.drawn}A\u001b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    this.frame++;
    const rows = [...this.rows.values()];
    if (rows.length === 0) return;
    const finished = rows.filter((r) => r.state !== 'started').length;
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    const lines = [`${this.paint.blue('[+]')} Running ${finished}/${rows.length}`];
    for (const r of rows) {
      const elapsed = seconds(r.elapsedMs ?? this.now() - r.startedAt);
      const mark =
        r.state === 'done'
          ? this.paint.green('✔')
          : r.state === 'failed'
            ? this.paint.red('✘')
            : r.state === 'skipped'
              ? this.paint.dim('-')
              : SPINNER[this.frame % SPINNER.length];
      const left = ` ${mark} ${r.resource.padEnd(28)} ${r.text}`;
      lines.push(`${left.slice(0, width - 8).padEnd(width - 8)}${elapsed.padStart(8)}`);
      if (r.state === 'started') lines.push(...detailLines(r.detail, width, this.paint));
    }
    this.clear();
    this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}

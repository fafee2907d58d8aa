import { describe, expect, it } from 'vitest';
import {
  bar,
  bytes,
  detailLines,
  nextDetail,
  type ProgressDetail,
} from '../../../src/cli/render/progress-detail.js';
import { painter } from '../../../src/cli/render/progress-format.js';
import { progressRenderer } from '../../../src/cli/render/progress-renderer.js';
import type { ProgressEvent } from '../../../src/reconcile/progress-event.js';

const paint = painter(false);
const base = { kind: 'progress' as const, node: 1, resource: 'image:busybox' };

function feed(
  events: Array<Partial<Extract<ProgressEvent, { kind: 'progress' }>>>,
): ProgressDetail | undefined {
  let d: ProgressDetail | undefined;
  for (const e of events) d = nextDetail(d, { ...base, text: '', ...e });
  return d;
}

describe('progress details', () => {
  it('draws bars of the asked width and docker-style sizes', () => {
    expect(bar(0, 5)).toBe('[>    ]');
    expect(bar(0.5, 6)).toBe('[===>  ]');
    expect(bar(1, 4)).toBe('[====]');
    expect(bar(2, 3)).toBe('[===]');
    expect([bytes(512), bytes(1234), bytes(4_500_000), bytes(12_300_000_000)]).toEqual([
      '512B',
      '1.23kB',
      '4.50MB',
      '12.3GB',
    ]);
  });

  it('keeps one line per layer, updated in place, in first-seen order', () => {
    const d = feed([
      {
        layer: 'latest',
        status: 'Pulling from library/busybox',
        text: 'latest Pulling from library/busybox',
      },
      { layer: 'aaaaaaaaaaaa', status: 'Pulling fs layer' },
      { layer: 'bbbbbbbbbbbb', status: 'Waiting' },
      { layer: 'aaaaaaaaaaaa', status: 'Downloading', current: 1_000_000, total: 4_000_000 },
    ]);
    expect(detailLines(d, 80, paint)).toEqual([
      `    aaaaaaaaaaaa Downloading [${'='.repeat(8)}>${' '.repeat(26)}] 1.00MB/4.00MB`,
      '    bbbbbbbbbbbb Waiting',
      '      latest Pulling from library/busybox',
    ]);
    for (const line of detailLines(d, 80, paint)) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('fits a narrow terminal: a shorter bar, then none', () => {
    const d = feed([{ layer: 'aaaaaaaaaaaa', status: 'Downloading', current: 2, total: 4 }]);
    expect(detailLines(d, 50, paint)).toEqual(['    aaaaaaaaaaaa Downloading [======>      ] 2B/4B']);
    expect(detailLines(d, 36, paint)).toEqual(['    aaaaaaaaaaaa Downloading 2B/4B']);
    for (const line of detailLines(d, 20, paint)) expect(line.length).toBeLessThanOrEqual(20);
  });

  it('shows the current build step and its latest output line', () => {
    const d = feed([
      { text: 'Step 1/2 : FROM busybox' },
      { text: ' ---> 1234' },
      { text: 'Step 2/2 : RUN make' },
      { text: 'compiling a.c\n' },
      { text: 'compiling b.c' },
    ]);
    expect(detailLines(d, 80, paint)).toEqual(['    Step 2/2 : RUN make', '      compiling b.c']);
  });

  it('draws layers under a running pull in the live view, and drops them once it is done', () => {
    const chunks: string[] = [];
    const out = { isTTY: true, columns: 60, write: (c: string) => chunks.push(c) > 0 };
    const view = progressRenderer('tty', out as unknown as NodeJS.WritableStream, { NO_COLOR: '1' });
    const op = {
      kind: 'operation' as const,
      node: 1,
      type: 1,
      operation: 'PullImage',
      resource: base.resource,
    };
    view.onEvent({ ...op, cause: 'missing', state: 'started' });
    view.onEvent({ ...base, text: 'x', layer: 'cccccccccccc', status: 'Extracting', current: 3, total: 4 });
    expect(chunks.at(-1)).toContain('    cccccccccccc Extracting [');
    expect(chunks.at(-1)).not.toContain('\u001b[3');
    view.onEvent({ ...op, cause: 'missing', state: 'done', elapsedMs: 1000 });
    view.finish();
    expect(chunks.at(-1)).not.toContain('cccccccccccc');
  });
});

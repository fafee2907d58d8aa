import { describe, expect, it } from 'vitest';
import { parsePublish } from '../../../src/cli/commands/run.js';
import { parseScale } from '../../../src/cli/commands/up.js';
import { logFormatter } from '../../../src/cli/render/logs-format.js';
import { colorsEnabled, plainLine } from '../../../src/cli/render/progress-format.js';
import { progressRenderer } from '../../../src/cli/render/progress-renderer.js';
import { formatPorts, textTable } from '../../../src/cli/render/ps-format.js';
import { parseCopyEndpoint } from '../../../src/project/copy.js';
import { OperationType } from '../../../src/reconcile/plan.js';
import type { ProgressEvent } from '../../../src/reconcile/progress-event.js';

const created: ProgressEvent = {
  kind: 'operation',
  node: 2,
  type: OperationType.CreateContainer,
  operation: 'CreateContainer',
  resource: 'service:web:1',
  service: 'web',
  cause: 'not found',
  state: 'done',
  elapsedMs: 1234,
};

/** A writable that keeps what is written. */
function sink(isTTY = false) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WritableStream & {
    isTTY: boolean;
    chunks: string[];
  };
}

describe('progress output', () => {
  it('prints one plain line per event', () => {
    expect(plainLine(created)).toBe('service:web:1 CreateContainer done 1.2s');
    expect(plainLine({ ...created, state: 'started', elapsedMs: undefined })).toBe(
      'service:web:1 CreateContainer started (not found)',
    );
    expect(plainLine({ kind: 'warning', message: 'orphans' })).toBe('warning: orphans');
  });

  it('prints one JSON object per line with --progress json, nothing with quiet', () => {
    const out = sink();
    progressRenderer('json', out).onEvent(created);
    expect(JSON.parse(out.chunks.join(''))).toEqual(created);
    const quiet = sink();
    progressRenderer('quiet', quiet).onEvent(created);
    expect(quiet.chunks).toEqual([]);
  });

  it('uses plain lines on a pipe and turns colours off with NO_COLOR', () => {
    const out = sink(false);
    progressRenderer('auto', out, {}).onEvent({ ...created, state: 'failed', error: 'boom' });
    expect(out.chunks.join('')).toBe('service:web:1 CreateContainer failed 1.2s: boom\n');
    expect(colorsEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorsEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorsEnabled({ isTTY: false }, {})).toBe(false);
  });
});

describe('logs and ps rendering', () => {
  it('prefixes log lines with the padded container name', () => {
    const format = logFormatter({ color: false, prefix: true, width: 10 });
    expect(format({ container: 'demo-web-1', service: 'web', stream: 'stdout', text: 'hi' })).toBe(
      'demo-web-1 | hi',
    );
    const bare = logFormatter({ color: false, prefix: false, width: 10 });
    expect(bare({ container: 'demo-web-1', service: 'web', stream: 'stdout', text: 'hi' })).toBe('hi');
  });

  it('formats ports and tables as docker compose does', () => {
    const ports = [
      { url: '127.0.0.1', targetPort: 80, publishedPort: 8080, protocol: 'tcp' },
      { targetPort: 9000, protocol: 'tcp' },
    ];
    expect(formatPorts({ ports } as never)).toBe('127.0.0.1:8080->80/tcp, 9000/tcp');
    expect(textTable(['A', 'B'], [['xx', 'y']])).toBe('A    B\nxx   y');
  });
});

describe('flag parsing', () => {
  it('parses --scale and rejects a malformed entry', () => {
    expect(parseScale(['web=3', 'db=0'])).toEqual({ web: 3, db: 0 });
    expect(() => parseScale(['web'])).toThrow('--scale web: expected SERVICE=NUMBER');
  });

  it('parses --publish forms', () => {
    expect(parsePublish('8080:80')).toEqual({
      target: 80,
      published: '8080',
      protocol: 'tcp',
      mode: 'ingress',
    });
    expect(parsePublish('127.0.0.1:53:53/udp')).toMatchObject({
      host_ip: '127.0.0.1',
      published: '53',
      protocol: 'udp',
    });
    expect(parsePublish('80')).toEqual({ target: 80, protocol: 'tcp', mode: 'ingress' });
    expect(() => parsePublish('x:y')).toThrow('--publish x:y');
  });

  it('tells a service path from a local one in cp', () => {
    expect(parseCopyEndpoint('web:/etc/hosts')).toEqual({ service: 'web', path: '/etc/hosts' });
    expect(parseCopyEndpoint('./a:b')).toEqual({ path: './a:b' });
    expect(parseCopyEndpoint('/tmp/x')).toEqual({ path: '/tmp/x' });
  });
});

describe('the live view', () => {
  it('draws one line per resource with its state, redrawing in place', () => {
    const out = Object.assign(sink(true), { columns: 80 });
    const view = progressRenderer('tty', out, { NO_COLOR: '1' });
    view.onEvent({ ...created, state: 'started', elapsedMs: undefined });
    view.onEvent(created);
    view.finish();
    const last = out.chunks.at(-1)!;
    expect(last).toMatch(/^\[\+\] Running 1\/1\n ✔ service:web:1 +CreateContainer +1\.2s\n$/);
    expect(out.chunks.some((c) => c.startsWith('\u001b[2A'))).toBe(true);
  });
});

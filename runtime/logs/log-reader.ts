import { type FSWatcher, watch } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { type LogEntry, type LogSelection, parseCriLine, renderEntry, selectEntries } from './cri-log.js';
import { frame, STREAM } from './stream-frame.js';

/** How log entries are written to a client. */
export interface LogOutput {
  out: Writable;
  /** Raw bytes (TTY) rather than multiplexed frames. */
  raw: boolean;
  timestamps: boolean;
}

/** Reads the log from byte `from` to the end; returns complete entries and the offset after the last full line. */
export async function readEntries(path: string, from = 0): Promise<{ entries: LogEntry[]; offset: number }> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return { entries: [], offset: from };
  try {
    const { size } = await fh.stat();
    if (size < from) from = 0; // rotated: conmon started a new file
    const buf = Buffer.alloc(size - from);
    await fh.read(buf, 0, buf.length, from);
    const lastNl = buf.lastIndexOf(0x0a);
    if (lastNl < 0) return { entries: [], offset: from };
    // latin1 keeps every byte as one character: container output need not be UTF-8.
    const text = buf.subarray(0, lastNl).toString('latin1');
    const entries = text
      .split('\n')
      .map(parseCriLine)
      .filter((e): e is LogEntry => !!e);
    return { entries, offset: from + lastNl + 1 };
  } finally {
    await fh.close();
  }
}

/** Writes entries to the client, tracking line starts per stream for timestamps. */
export class EntryWriter {
  private readonly atLineStart = { stdout: true, stderr: true };
  constructor(private readonly o: LogOutput) {}

  write(entries: LogEntry[]): void {
    for (const e of entries) {
      const bytes = renderEntry(e, this.o.timestamps, this.atLineStart[e.stream]);
      this.atLineStart[e.stream] = !e.partial;
      this.o.out.write(
        this.o.raw ? bytes : frame(e.stream === 'stdout' ? STREAM.stdout : STREAM.stderr, bytes),
      );
    }
  }
}

/**
 * Streams a container's log: the selected past entries, then (when `follow`) new ones as conmon
 * appends them until `done` resolves (the container stopped) and the file is drained, or the
 * client goes away.
 */
export async function streamLog(
  path: string,
  sel: LogSelection,
  o: LogOutput,
  follow: { done: Promise<unknown>; signal: AbortSignal } | undefined,
  /** Start at this byte offset without replaying what came before (attach). */
  from?: number,
): Promise<void> {
  const writer = new EntryWriter(o);
  let offset = from ?? 0;
  if (from === undefined) {
    const first = await readEntries(path, 0);
    writer.write(selectEntries(first.entries, sel));
    offset = first.offset;
  }
  if (!follow) return;
  const more = async () => {
    const next = await readEntries(path, offset);
    offset = next.offset;
    writer.write(selectEntries(next.entries, { ...sel, tail: undefined }));
  };
  let watcher: FSWatcher | undefined;
  let pending = Promise.resolve();
  const kick = () => {
    pending = pending.then(more, more);
  };
  try {
    watcher = watch(path, kick);
    watcher.on('error', () => undefined);
  } catch {
    // created later; the poll below covers it
  }
  const poll = setInterval(kick, 500);
  try {
    let stopped = false;
    void follow.done.then(() => {
      stopped = true;
    });
    await new Promise<void>((resolve) => {
      follow.signal.addEventListener('abort', () => resolve());
      void follow.done.then(() => resolve());
      if (follow.signal.aborted) resolve();
    });
    if (stopped) {
      // conmon may still be flushing the last lines when the exit is recorded.
      await waitStable(path);
      kick();
      await pending;
    }
  } finally {
    clearInterval(poll);
    watcher?.close();
  }
}

/** Waits until the log's size stops changing (bounded to about a second). */
async function waitStable(path: string): Promise<void> {
  let last = -1;
  for (let i = 0; i < 10; i++) {
    const size = (await stat(path).catch(() => undefined))?.size ?? 0;
    if (size === last) return;
    last = size;
    await new Promise((r) => setTimeout(r, 50));
  }
}

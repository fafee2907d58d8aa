import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { seg } from '../query.js';
import { type AttachedStreams, attachedStreams } from '../streams/hijacked.js';
import type { Transport } from '../transport.js';
import type { ExecCreateBody, ExecInspect } from '../types/exec.js';
import { streamErrors, type WithSignal } from './shared.js';

/** Options of `exec.start`. */
export interface ExecStartOptions extends WithSignal {
  /** Must match the `Tty` the exec was created with. */
  Tty?: boolean;
  /** Run in the background; nothing is attached. */
  Detach?: boolean;
  /** Data for the process's stdin: piped in, then stdin is half-closed. `true` leaves `stdin` to the caller. */
  stdin?: Readable | Buffer | string | boolean;
  /** The TTY's initial `[height, width]`. */
  ConsoleSize?: [number, number];
}

/** `/exec`: commands run inside a running container. */
export class ExecApi {
  constructor(private readonly t: Transport) {}

  /** Creates an exec instance (not yet started). */
  create(containerId: string, body: ExecCreateBody, opts: WithSignal = {}): Promise<{ Id: string }> {
    const json = { AttachStdout: true, AttachStderr: true, ...body };
    return this.t.call('POST', `/containers/${seg(containerId)}/exec`, {
      json,
      kind: 'mutation',
      signal: opts.signal,
    });
  }

  /** Starts it detached. */
  start(execId: string, opts: ExecStartOptions & { Detach: true }): Promise<undefined>;
  /** Starts it attached: its output as streams (read them to the end, then `inspect` for the exit code). */
  start(execId: string, opts?: ExecStartOptions): Promise<AttachedStreams>;
  async start(execId: string, opts: ExecStartOptions = {}): Promise<AttachedStreams | undefined> {
    const path = `/exec/${seg(execId)}/start`;
    const json = { Detach: Boolean(opts.Detach), Tty: Boolean(opts.Tty), ConsoleSize: opts.ConsoleSize };
    if (opts.Detach) {
      await this.t.call('POST', path, { json, kind: 'mutation', signal: opts.signal });
      return undefined;
    }
    const { socket } = await this.t.hijack('POST', path, { json, signal: opts.signal });
    // Exec streams carry no reliable content type before API 1.42; the exec's Tty decides.
    const streams = attachedStreams(
      socket,
      Boolean(opts.Tty),
      streamErrors(this.t, `POST ${path}`, opts.signal),
    );
    const input = opts.stdin;
    // Without stdin nothing is half-closed: engines may treat the close as the end of the session.
    if (input === undefined || typeof input === 'boolean') return streams;
    if (typeof input === 'string' || Buffer.isBuffer(input)) streams.stdin.end(input);
    else pipeline(input, streams.stdin).catch((err) => streams.stdout.destroy(err));
    return streams;
  }

  /** State and exit code (null while running). */
  inspect(execId: string, opts: WithSignal = {}): Promise<ExecInspect> {
    return this.t.call('GET', `/exec/${seg(execId)}/json`, { signal: opts.signal });
  }

  /** Resizes the exec's TTY. */
  async resize(execId: string, size: { h: number; w: number }, opts: WithSignal = {}): Promise<void> {
    await this.t.call('POST', `/exec/${seg(execId)}/resize`, {
      query: size,
      kind: 'mutation',
      signal: opts.signal,
    });
  }
}

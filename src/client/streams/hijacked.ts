import { type Duplex, type Readable, Writable } from 'node:stream';
import { demultiplex } from './demultiplex.js';

/** A hijacked attach or exec session: stdin to the process, its output split in two. */
export interface AttachedStreams {
  /** Writes go to the process; `end()` half-closes the connection, which closes its stdin. */
  stdin: Writable;
  /** The process's output (all of it with a TTY). */
  stdout: Readable;
  /** Empty with a TTY (the terminal merges both streams into stdout). */
  stderr: Readable;
  /** True for a TTY session: raw bytes, not the multiplexed framing. */
  tty: boolean;
  /** Tears the connection down at once. */
  close(): void;
}

/**
 * Wraps a hijacked connection. `raw` is true for a TTY session (raw bytes), false for the
 * multiplexed framing.
 */
export function attachedStreams(
  socket: Duplex,
  raw: boolean,
  mapError: (err: unknown) => Error,
): AttachedStreams {
  const { stdout, stderr } = demultiplex(socket, raw, mapError);
  const stdin = new Writable({
    write(chunk, _encoding, callback) {
      if (socket.destroyed || socket.writableEnded) return callback();
      socket.write(chunk, callback);
    },
    final(callback) {
      if (!socket.destroyed && !socket.writableEnded) socket.end();
      callback();
    },
  });
  return { stdin, stdout, stderr, tty: raw, close: () => socket.destroy() };
}

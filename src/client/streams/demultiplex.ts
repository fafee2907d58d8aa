import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { FrameDemuxer, type StreamId } from './frame-demuxer.js';

/** A container's output split into its two streams. */
export interface OutputStreams {
  /** The process's stdout (everything, with a TTY). */
  stdout: Readable;
  /** The process's stderr (ends at once with a TTY). */
  stderr: Readable;
}

/**
 * Splits a multiplexed engine stream into stdout and stderr (a TTY stream is raw: all of it is
 * stdout and stderr ends at once). Backpressure is honoured for a stream that has a reader; a
 * stream nobody reads is buffered, so ignoring stderr never stalls stdout.
 * `mapError` turns transport failures into the caller's error type.
 */
export function demultiplex(
  source: Readable,
  tty: boolean,
  mapError: (err: unknown) => Error,
): OutputStreams {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const pending: Array<[PassThrough, Buffer]> = [];
  const demuxer = new FrameDemuxer((id: StreamId, data: Buffer) => {
    pending.push([id === 2 || id === 3 ? stderr : stdout, data]);
  });
  const pump = async () => {
    for await (const chunk of source) {
      if (tty) pending.push([stdout, chunk as Buffer]);
      else demuxer.push(chunk as Buffer);
      for (const [target, data] of pending.splice(0)) {
        if (!target.write(data) && target.readableFlowing !== null && !target.destroyed) {
          await once(target, 'drain');
        }
      }
    }
    if (demuxer.midFrame) throw new Error('the engine closed the stream in the middle of a frame');
  };
  pump().then(
    () => {
      stdout.end();
      stderr.end();
    },
    (err) => {
      // Only a stream someone listens to gets the error: an ignored stderr must not crash the process.
      const mapped = mapError(err);
      for (const s of [stdout, stderr]) s.destroy(s.listenerCount('error') > 0 ? mapped : undefined);
    },
  );
  // A consumer that stops reading early releases the connection.
  const release = () => {
    if (stdout.destroyed && stderr.destroyed && !source.destroyed) source.destroy();
  };
  stdout.once('close', release);
  stderr.once('close', release);
  return { stdout, stderr };
}

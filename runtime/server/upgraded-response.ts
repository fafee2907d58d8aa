import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { type Duplex, pipeline, type Readable } from 'node:stream';
import { commonHeaders } from './headers.js';
import type { TrackedResponse } from './http-response.js';

/**
 * The response of a request that asked for `Upgrade: tcp` (attach, exec start). Node hands us
 * the bare socket, so the status line and headers are written by hand; `hijack` answers
 * `101 UPGRADED` and gives the socket to the handler as the raw bidirectional stream.
 */
export function upgradedResponse(socket: Socket): TrackedResponse {
  let started = false;
  let hijacked = false;
  const head = (status: number, headers: Record<string, string | number>, reason?: string) => {
    if (started) throw new Error('response already started');
    started = true;
    const all = { ...commonHeaders(), ...headers };
    const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}`);
    socket.write(
      `HTTP/1.1 ${status} ${reason ?? STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n`,
    );
  };
  return {
    get started() {
      return started;
    },
    json(status, body) {
      const text = `${JSON.stringify(body)}\n`;
      head(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        Connection: 'close',
      });
      socket.end(text);
    },
    empty(status) {
      head(status, { 'Content-Length': 0, Connection: 'close' });
      socket.end();
    },
    stream(status, contentType, headers = {}) {
      head(status, { 'Content-Type': contentType, Connection: 'close', ...headers });
      hijacked = true;
      return socket;
    },
    pipe(status, contentType, body: Readable, headers = {}) {
      head(status, { 'Content-Type': contentType, Connection: 'close', ...headers });
      hijacked = true;
      pipeline(body, socket, () => {});
    },
    hijack(contentType): Duplex {
      head(101, { 'Content-Type': contentType, Connection: 'Upgrade', Upgrade: 'tcp' }, 'UPGRADED');
      hijacked = true;
      socket.setNoDelay(true);
      // The body reader paused the socket; a handler that listens for data gets it flowing again.
      const resumeOnData = (event: string | symbol) => {
        if (event !== 'data') return;
        socket.off('newListener', resumeOnData);
        setImmediate(() => socket.resume());
      };
      socket.on('newListener', resumeOnData);
      return socket;
    },
    finish(error) {
      if (!started) return;
      if (error && hijacked) socket.destroy(error);
      else if (!hijacked && !socket.writableEnded) socket.end();
    },
  };
}

/**
 * Reads the request body (Content-Length bytes) that precedes the raw stream on an upgraded
 * connection; whatever follows it is put back for the handler to read as the stream's input.
 */
export function readUpgradeBody(
  socket: Socket,
  head: Buffer,
  length: number,
  limit: number,
): Promise<Buffer> {
  if (length > limit) return Promise.reject(new Error(`request body larger than ${limit} bytes`));
  return new Promise((resolve, reject) => {
    let buf = head;
    const done = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', reject);
      socket.pause();
      if (buf.length > length) socket.unshift(buf.subarray(length));
      resolve(buf.subarray(0, length));
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= length) done();
    };
    const onEnd = () => reject(new Error('connection closed before the request body was complete'));
    if (buf.length >= length) {
      done();
      return;
    }
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', reject);
    socket.resume();
  });
}

import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { EngineError } from '../errors.js';

/** Turns `unix:///run/berth/engine.sock` (or a bare path) into the socket path. */
export function socketPathOf(host: string): string {
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  if (host.startsWith('/')) return host;
  throw new EngineError(
    'invalid',
    `unsupported engine address ${JSON.stringify(host)}: use unix:///path/to/socket`,
  );
}

/** True when something accepts connections on the socket path. */
export function socketAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(path);
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/**
 * Makes the socket path usable: creates its directory, and removes a stale socket left by a
 * killed engine — but only when nothing answers on it, so a live engine is never displaced.
 */
export async function prepareSocketPath(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  const st = await lstat(path).catch(() => undefined);
  if (!st) return;
  if (!st.isSocket()) {
    throw new EngineError('conflict', `${path} exists and is not a socket; refusing to replace it`);
  }
  if (await socketAnswers(path)) {
    throw new EngineError('conflict', `another engine is already listening on ${path}`);
  }
  await unlink(path);
}

/** Root and its group only: the socket is as powerful as root. */
export function restrictSocket(path: string): Promise<void> {
  return chmod(path, 0o660);
}

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.js';

/** A private `docker-registry` (Debian's distribution 2.8) on 127.0.0.1. */
export interface LocalRegistry {
  /** `127.0.0.1:<port>`: prefix image names with it to push and pull there. */
  address: string;
  /** Credentials when started with basic auth. */
  auth?: { username: string; password: string };
  /** Stops the registry (by its PID) and removes its storage and config. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts Debian's `docker-registry` with its own temporary config and storage, listening on
 * 127.0.0.1 only (Docker treats 127.0.0.0/8 registries as insecure by default: plain HTTP works).
 * With `auth`, clients must log in with the returned credentials (htpasswd, bcrypt).
 */
export async function startRegistry(opts: { auth?: boolean } = {}): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
  mkdirSync(join(dir, 'data'));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const auth = opts.auth
    ? { username: `u${process.pid}`, password: `p-${Math.random().toString(36).slice(2)}` }
    : undefined;
  const lines = [
    'version: 0.1',
    'log: { level: error, accesslog: { disabled: true } }',
    `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }`,
    `http: { addr: "${address}" }`,
  ];
  if (auth) {
    const entry = execFileSync('htpasswd', ['-Bbn', auth.username, auth.password], { encoding: 'utf8' });
    writeFileSync(join(dir, 'htpasswd'), `${entry.trim()}\n`);
    lines.push(`auth: { htpasswd: { realm: berth-test, path: ${join(dir, 'htpasswd')} } }`);
  }
  writeFileSync(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => {
    log += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await eventually(() => answers(address), {
      what: `registry on ${address} (${log.trim()})`,
      timeoutMs: 15_000,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, auth, stop };
}

/** True when the registry answers `/v2/` (200, or 401 when it wants credentials). */
function answers(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const req = request({ host, port: Number(port), path: '/v2/', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 || res.statusCode === 401);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

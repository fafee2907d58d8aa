import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertNoLeaks, mountsUnder } from './leak-check.js';

/** The daemon entry the harness runs (built by `npm run build`), seen from sources or from dist/. */
export const ENGINE_MAIN =
  ['../../runtime/main.js', '../../dist/runtime/main.js']
    .map((p) => resolve(import.meta.dirname, p))
    .find((p) => existsSync(p)) ?? resolve(import.meta.dirname, '../../dist/runtime/main.js');

/** An answer from {@link RawClient}. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
}

/** A tiny HTTP client over the engine's socket, for tests that check the raw API. */
export interface RawClient {
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<RawResponse>;
}

/** An engine daemon started for a test, with its own data root, socket and bridge name. */
export interface EmbeddedEngine {
  /** `unix:///tmp/berth-engine-XXXX/engine.sock`: give it to DOCKER_HOST or an EngineClient. */
  host: string;
  socketPath: string;
  dataRoot: string;
  /** The daemon's pid (changes on restart). */
  readonly pid: number;
  /** A prefix unique to this engine, for names of resources a test creates. */
  prefix: string;
  client: RawClient;
  /** SIGTERM and wait; then remove the temporary directory (refused while anything is mounted in it). */
  stop(): Promise<void>;
  /** SIGKILL the daemon (containers keep running) and wait for it to be gone. */
  kill9(): Promise<void>;
  /** Stops (gracefully, or after a kill9) and starts again on the same data root and socket. */
  restart(): Promise<void>;
  /** The engine's log so far (for failure messages). */
  log(): string;
  /** Fails when the engine left mounts, container processes or cgroups behind. */
  assertNoLeaks(containerIds?: string[]): void;
}

/** Options of {@link startEmbeddedEngine}. */
export interface EmbeddedEngineOptions {
  ociRuntime?: string;
  /** Further daemon flags. */
  args?: string[];
}

/** Raw HTTP over a unix socket. */
export function rawClient(socketPath: string): RawClient {
  return {
    request(method, path, body, headers = {}) {
      return new Promise((resolvePromise, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = request(
          {
            socketPath,
            method,
            path,
            headers: payload ? { 'Content-Type': 'application/json', ...headers } : headers,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown;
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = undefined;
              }
              resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}

/**
 * Starts `node dist/runtime/main.js` with a fresh temporary data root and socket, DNS forwarding
 * off, and its own bridge name; resolves once `/_ping` answers.
 */
export async function startEmbeddedEngine(options: EmbeddedEngineOptions = {}): Promise<EmbeddedEngine> {
  if (!existsSync(ENGINE_MAIN)) throw new Error(`${ENGINE_MAIN} is missing: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'berth-engine-'));
  const dataRoot = join(dir, 'root');
  const socketPath = join(dir, 'engine.sock');
  const suffix = randomBytes(3).toString('hex');
  const args = [
    ENGINE_MAIN,
    '--data-root',
    dataRoot,
    '--host',
    `unix://${socketPath}`,
    '--no-dns-forwarding',
    '--bridge-name',
    `bt${suffix}`,
    ...(options.ociRuntime ? ['--oci-runtime', options.ociRuntime] : []),
    ...(options.args ?? []),
  ];
  let child = await launch(args, socketPath);
  const client = rawClient(socketPath);
  const logText = () => {
    try {
      return readFileSync(join(dataRoot, 'engine.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const engine: EmbeddedEngine = {
    host: `unix://${socketPath}`,
    socketPath,
    dataRoot,
    get pid() {
      return child.pid ?? 0;
    },
    prefix: `berth-test-${suffix}`,
    client,
    async stop() {
      await terminate(child, 'SIGTERM');
      const mounts = mountsUnder(dir);
      if (mounts.length > 0) throw new Error(`not removing ${dir}: still mounted: ${mounts.join(', ')}`);
      rmSync(dir, { recursive: true, force: true });
    },
    async kill9() {
      await terminate(child, 'SIGKILL');
    },
    async restart() {
      await terminate(child, 'SIGTERM');
      child = await launch(args, socketPath);
    },
    log: logText,
    assertNoLeaks(containerIds = []) {
      assertNoLeaks(dataRoot, { containerIds, exceptPids: child.exitCode === null ? [child.pid ?? 0] : [] });
    },
  };
  return engine;
}

async function launch(args: string[], socketPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const cleanup = () => child.kill('SIGKILL');
  process.once('exit', cleanup);
  child.once('exit', () => process.off('exit', cleanup));
  const client = rawClient(socketPath);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`engine exited with ${child.exitCode}: ${stderr.trim()}`);
    const ok = await client.request('GET', '/_ping').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`engine did not answer /_ping within 30 s: ${stderr.trim()}`);
}

/** Signals the daemon and waits for it to exit; SIGKILL after 30 s of SIGTERM. */
async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

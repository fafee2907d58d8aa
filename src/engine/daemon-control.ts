import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { isEnginePid, readPidFile } from '../../runtime/daemon/pid-lock.js';
import { EngineClient } from '../client/engine-client.js';
import { BerthError, errors } from '../errors/kinds.js';
import { type EngineLocation, engineMainPath } from './engine-location.js';

/** How `berth engine start` starts the daemon. */
export interface StartOptions {
  ociRuntime?: string;
  logLevel?: string;
  /** `--address-pool` values (`base=CIDR,size=N`), passed on to the daemon. */
  addressPools?: string[];
  /** How long to wait for `/_ping` (default 30 s). */
  waitMs?: number;
}

/** What `start` found or did. */
export interface StartResult {
  pid: number | undefined;
  alreadyRunning: boolean;
}

/** True when an engine answers `/_ping` at the host. */
export async function engineAnswers(host: string, timeoutMs = 2000): Promise<boolean> {
  const client = new EngineClient({ host, timeouts: { connect: timeoutMs, metadata: timeoutMs } });
  try {
    await client.system.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

/** The pid of the engine holding the data root, when it is alive. */
export async function runningEnginePid(location: EngineLocation): Promise<number | undefined> {
  const pid = await readPidFile(location.pidFile);
  return pid !== undefined && isEnginePid(pid) ? pid : undefined;
}

/**
 * Starts the engine in the background (detached, its output appended to its log file) unless
 * one already answers, then waits until `/_ping` answers. A daemon that dies while starting is
 * reported with the end of its log.
 */
export async function startEngineDaemon(
  location: EngineLocation,
  options: StartOptions = {},
): Promise<StartResult> {
  if (await engineAnswers(location.host)) {
    return { pid: await runningEnginePid(location), alreadyRunning: true };
  }
  const args = [engineMainPath(), '--data-root', location.dataRoot, '--host', location.host];
  if (options.ociRuntime) args.push('--oci-runtime', options.ociRuntime);
  if (options.logLevel) args.push('--log-level', options.logLevel);
  for (const pool of options.addressPools ?? []) args.push('--address-pool', pool);
  let out: number;
  try {
    mkdirSync(location.dataRoot, { recursive: true, mode: 0o700 });
    out = openSync(location.logFile, 'a', 0o600);
  } catch (err) {
    throw errors.unavailable(
      `cannot start the embedded engine: ${(err as Error).message} (it runs as root; or point --host/DOCKER_HOST at a Docker daemon)`,
      { location: location.dataRoot },
      err,
    );
  }
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? 1;
  });
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  while (Date.now() < deadline) {
    if (await engineAnswers(location.host, 1000)) {
      return { pid: exited === null ? child.pid : await runningEnginePid(location), alreadyRunning: false };
    }
    // Lost a race with another start (it holds the lock): wait for that engine instead.
    if (exited !== null && (await runningEnginePid(location)) === undefined) {
      throw errors.unavailable(
        `the engine exited (code ${exited}) while starting: ${logTail(location.logFile)}`,
        {
          location: location.logFile,
        },
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw errors.timeout(
    `the engine did not answer on ${location.host} within ${options.waitMs ?? 30_000} ms`,
    {
      location: location.logFile,
    },
  );
}

/** Stops the engine: SIGTERM, then waits (bounded) until it is gone. False when none was running. */
export async function stopEngineDaemon(location: EngineLocation, waitMs = 60_000): Promise<boolean> {
  const pid = await runningEnginePid(location);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (!isEnginePid(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new BerthError(
    'timeout',
    `the engine (pid ${pid}) did not stop within ${waitMs} ms; see ${location.logFile}`,
  );
}

/** The last lines of the engine's log, for error messages. */
function logTail(path: string, lines = 5): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

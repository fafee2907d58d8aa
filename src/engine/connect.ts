import { EngineClient } from '../client/engine-client.js';
import { resolveHost } from '../client/host.js';
import { isBerthError } from '../errors/kinds.js';
import { startEngineDaemon } from './daemon-control.js';
import { engineLocation } from './engine-location.js';

/** Options of {@link connectEngine}. */
export interface ConnectOptions {
  /** `--host`; when absent `BERTH_HOST`, then `DOCKER_HOST`, then the embedded engine. */
  host?: string;
  /** Start the embedded engine when it is the host in use and does not answer (default true). */
  autoStart?: boolean;
  /** Where the embedded engine lives (default: its standard socket, and `BERTH_DATA_ROOT` or /var/lib/berth). */
  embedded?: { host: string; dataRoot: string };
  env?: NodeJS.ProcessEnv;
}

/**
 * The client every berth command uses. When no host was configured, the embedded engine is
 * the host: if it does not answer, it is started in the background (as `berth engine start`
 * would) and awaited on `/_ping`. A configured host is used as is; if it is down, the first call
 * fails with a clear `unavailable` error.
 */
export async function connectEngine(options: ConnectOptions = {}): Promise<EngineClient> {
  const env = options.env ?? process.env;
  const resolved = resolveHost({ host: options.host }, env);
  if (!resolved.fromDefault) return new EngineClient({ host: options.host, env });
  const location = engineLocation(
    { 'data-root': options.embedded?.dataRoot, host: options.embedded?.host },
    env,
  );
  const client = new EngineClient({ host: location.host, env });
  if (options.autoStart === false) return client;
  try {
    await client.system.ping();
    return client;
  } catch (err) {
    if (!isBerthError(err, 'unavailable')) throw err;
  }
  await startEngineDaemon(location);
  return client;
}

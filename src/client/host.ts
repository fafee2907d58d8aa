import { homedir } from 'node:os';
import { join } from 'node:path';
import { errors } from '../errors/kinds.js';

/** The embedded engine's socket: where berth looks when no host is configured. */
export const DEFAULT_ENGINE_HOST = 'unix:///run/berth/engine.sock';

/** Where the configured host came from; the CLI auto-starts the embedded engine only for `default`. */
export type HostSource = 'option' | 'BERTH_HOST' | 'DOCKER_HOST' | 'default';

/** TLS material for an `https` endpoint (`DOCKER_TLS_VERIFY` / `DOCKER_CERT_PATH`). */
export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
  /** Verify the server certificate against `ca` (false only with DOCKER_TLS without _VERIFY). */
  verify: boolean;
}

/** A parsed engine endpoint. */
export type Endpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; hostname: string; port: number; tls?: TlsFiles };

/** The engine host berth will talk to, and why. */
export interface ResolvedHost {
  /** The endpoint as written, normalized: `unix:///path` or `tcp://host:port`. */
  url: string;
  /** Which setting chose it. */
  source: HostSource;
  /** True when nothing configured a host (the embedded engine's socket). */
  fromDefault: boolean;
  /** The parsed endpoint. */
  endpoint: Endpoint;
}

/**
 * Picks the engine host: the `host` option, else `BERTH_HOST`, else `DOCKER_HOST`, else the
 * embedded engine's socket. Throws `invalid` for endpoints berth cannot use on this platform.
 */
export function resolveHost(
  opts: { host?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): ResolvedHost {
  const candidates: Array<[HostSource, string | undefined]> = [
    ['option', opts.host],
    ['BERTH_HOST', env.BERTH_HOST],
    ['DOCKER_HOST', env.DOCKER_HOST],
  ];
  const [source, raw] = candidates.find(([, v]) => v !== undefined && v.trim() !== '') ?? [
    'default',
    DEFAULT_ENGINE_HOST,
  ];
  const endpoint = parseEndpoint(raw!.trim(), env, platform, source);
  const url =
    endpoint.kind === 'unix'
      ? `unix://${endpoint.socketPath}`
      : `tcp://${endpoint.hostname}:${endpoint.port}`;
  return { url, source, fromDefault: source === 'default', endpoint };
}

/** Parses one endpoint URL (`unix://`, `tcp://`, an absolute socket path). */
export function parseEndpoint(
  raw: string,
  env: NodeJS.ProcessEnv = {},
  platform: NodeJS.Platform = process.platform,
  source = 'host',
): Endpoint {
  const where = { location: source === 'option' ? '--host' : source };
  if (raw.startsWith('/')) return { kind: 'unix', socketPath: raw };
  const m = /^([a-z]+):\/\/(.*)$/i.exec(raw);
  if (!m)
    throw errors.invalid(`engine host "${raw}" is not a URL: use unix:///path or tcp://host:port`, where);
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (scheme === 'unix') {
    if (!rest.startsWith('/'))
      throw errors.invalid(`engine host "${raw}" needs an absolute socket path`, where);
    return { kind: 'unix', socketPath: rest };
  }
  if (scheme === 'npipe') {
    const why =
      platform === 'win32' ? 'named pipes are not supported by berth' : 'named pipes exist only on Windows';
    throw errors.invalid(`engine host "${raw}": ${why}; use unix:///path or tcp://host:port`, where);
  }
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https')
    return parseTcp(raw, scheme, rest, env, where);
  throw errors.invalid(
    `engine host "${raw}": scheme "${scheme}" is not supported; use unix:// or tcp://`,
    where,
  );
}

function parseTcp(
  raw: string,
  scheme: string,
  rest: string,
  env: NodeJS.ProcessEnv,
  where: { location: string },
): Endpoint {
  const tlsWanted = scheme === 'https' || Boolean(env.DOCKER_TLS_VERIFY) || Boolean(env.DOCKER_TLS);
  const hostPort = rest.replace(/\/+$/, '');
  const m = /^(\[[^\]]+\]|[^:/]+)(?::(\d+))?$/.exec(hostPort);
  if (!m) throw errors.invalid(`engine host "${raw}" is not tcp://host:port`, where);
  const hostname = m[1]!.replace(/^\[|\]$/g, '');
  const port = m[2] ? Number(m[2]) : tlsWanted ? 2376 : 2375;
  if (port < 1 || port > 65535)
    throw errors.invalid(`engine host "${raw}": port ${port} is out of range`, where);
  if (!tlsWanted) return { kind: 'tcp', hostname, port };
  const dir = env.DOCKER_CERT_PATH || join(env.HOME || homedir(), '.docker');
  const tls: TlsFiles = {
    ca: join(dir, 'ca.pem'),
    cert: join(dir, 'cert.pem'),
    key: join(dir, 'key.pem'),
    verify: Boolean(env.DOCKER_TLS_VERIFY) || scheme === 'https',
  };
  return { kind: 'tcp', hostname, port, tls };
}

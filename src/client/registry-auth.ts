import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { errors } from '../errors/kinds.js';
import { DOCKER_HUB, DOCKER_HUB_AUTH_KEY } from './image-ref.js';
import type { RegistryAuth } from './types/images.js';

/** The parts of `~/.docker/config.json` that hold credentials. */
export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** Where `docker login` keeps credentials: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

/** Normalizes an `auths` key (`https://host:port/v1/`, `host:port`) to a registry host. */
export function registryHostOfKey(key: string): string {
  const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
}

/** Finds inline credentials for a registry in a parsed config file (pure). */
export function inlineAuth(config: DockerConfigFile, registry: string): RegistryAuth | undefined {
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (registryHostOfKey(key) !== registry) continue;
    const server = registry === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : registry;
    if (entry.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: server };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const sep = decoded.indexOf(':');
      if (sep < 0) continue;
      return { username: decoded.slice(0, sep), password: decoded.slice(sep + 1), serveraddress: server };
    }
    if (entry.username) return { username: entry.username, password: entry.password, serveraddress: server };
  }
  return undefined;
}

/**
 * Credentials for a registry from the Docker config file: a credential helper when one is
 * configured for it (`credHelpers`, then `credsStore`), else inline `auths`. None → undefined.
 */
export async function loadRegistryAuth(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RegistryAuth | undefined> {
  const config = await readDockerConfig(env);
  if (!config) return undefined;
  const helper = config.credHelpers?.[registry] ?? config.credsStore;
  if (helper) {
    const fromHelper = await helperAuth(helper, registry).catch(() => undefined);
    if (fromHelper) return fromHelper;
  }
  return inlineAuth(config, registry);
}

/**
 * Every registry's inline credentials from the Docker config file, keyed by registry host, for
 * a build's `X-Registry-Config` (base images may come from any of them).
 */
export async function loadAllRegistryAuths(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, RegistryAuth>> {
  const config = await readDockerConfig(env);
  const out: Record<string, RegistryAuth> = {};
  for (const key of Object.keys(config?.auths ?? {})) {
    const registry = registryHostOfKey(key);
    const auth = inlineAuth(config!, registry);
    if (auth) out[auth.serveraddress ?? registry] = auth;
  }
  return out;
}

async function readDockerConfig(env: NodeJS.ProcessEnv): Promise<DockerConfigFile | undefined> {
  const path = dockerConfigPath(env);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DockerConfigFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw errors.invalid(`cannot read registry credentials: ${(err as Error).message}`, { location: path });
  }
}

/** Asks `docker-credential-<helper> get`; a helper that knows nothing yields undefined. */
function helperAuth(helper: string, registry: string): Promise<RegistryAuth | undefined> {
  const server = registry === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : registry;
  return new Promise((resolve, reject) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 10_000 }, (err, stdout) => {
      if (err) return reject(err);
      const { Username, Secret } = JSON.parse(stdout) as { Username?: string; Secret?: string };
      if (!Secret) return resolve(undefined);
      resolve(
        Username === '<token>'
          ? { identitytoken: Secret, serveraddress: server }
          : { username: Username, password: Secret, serveraddress: server },
      );
    });
    child.stdin?.end(server);
  });
}

/**
 * The `X-Registry-Auth` header value: URL-safe base64 JSON WITH padding (`{}` when there are no
 * credentials). Docker decodes it with Go's padded `base64.URLEncoding` and silently drops
 * credentials it cannot decode.
 */
export function encodeRegistryAuth(auth: RegistryAuth | undefined): string {
  return encodeHeaderJson(auth ?? {});
}

/** JSON in a header the way Docker reads it: URL-safe base64 with padding. */
export function encodeHeaderJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

import { invalid } from '../errors.js';

/** Credentials for one registry, as a client sends them in `X-Registry-Auth`. Never logged. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** An OAuth refresh token (`docker login` with a token-based registry). */
  identityToken?: string;
  /** A bearer token to use as is. */
  registryToken?: string;
  serverAddress?: string;
}

/**
 * Decodes `X-Registry-Auth`: base64url (or standard base64) JSON `{username, password,
 * serveraddress}` or `{identitytoken}`. An absent or empty header (or `{}`) is anonymous.
 */
export function decodeRegistryAuth(header: string | string[] | undefined): RegistryCredentials | undefined {
  const parsed = decodeHeaderObject('X-Registry-Auth', header);
  if (parsed === null) throw invalid('X-Registry-Auth is not a JSON object');
  return parsed && credentialsOf(parsed);
}

/**
 * A header holding base64url (or standard base64) JSON: the object, `undefined` when the header
 * is absent or blank, `null` for a JSON null. Anything else is refused naming the header.
 */
function decodeHeaderObject(
  name: string,
  header: string | string[] | undefined,
): Record<string, unknown> | null | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value?.trim()) return undefined;
  let parsed: unknown;
  try {
    const text = Buffer.from(value.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    parsed = JSON.parse(text);
  } catch {
    throw invalid(`${name} is not base64-encoded JSON`);
  }
  if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
    throw invalid(`${name} is not a JSON object`);
  }
  return parsed as Record<string, unknown> | null;
}

/** The credentials of one decoded auth object (`undefined` when it names none). */
function credentialsOf(o: Record<string, unknown>): RegistryCredentials | undefined {
  const str = (...keys: string[]) => {
    for (const k of keys) {
      const v = o[k];
      if (typeof v === 'string' && v !== '') return v;
    }
    return undefined;
  };
  const creds: RegistryCredentials = {
    username: str('username', 'Username'),
    password: str('password', 'Password'),
    identityToken: str('identitytoken', 'IdentityToken'),
    registryToken: str('registrytoken', 'RegistryToken'),
    serverAddress: str('serveraddress', 'ServerAddress'),
  };
  // `auth` is the config.json form: base64("user:password").
  const auth = str('auth', 'Auth');
  if (auth && !creds.username) {
    const pair = Buffer.from(auth, 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    if (colon > 0) {
      creds.username = pair.slice(0, colon);
      creds.password = pair.slice(colon + 1);
    }
  }
  const anonymous = !creds.username && !creds.identityToken && !creds.registryToken;
  return anonymous ? undefined : creds;
}

/** Credentials by registry, as `docker build` sends them in `X-Registry-Config`. */
export type RegistryConfig = Record<string, RegistryCredentials>;

/**
 * Decodes `X-Registry-Config`: base64url (or standard base64) JSON mapping each registry's
 * server address to `{username, password}` or `{identitytoken}`. Absent or empty means none.
 */
export function decodeRegistryConfig(header: string | string[] | undefined): RegistryConfig {
  const parsed = decodeHeaderObject('X-Registry-Config', header);
  const config: RegistryConfig = {};
  for (const [server, entry] of Object.entries(parsed ?? {})) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      throw invalid(`X-Registry-Config: the entry for ${JSON.stringify(server)} is not a JSON object`);
    }
    const creds = credentialsOf(entry as Record<string, unknown>);
    if (creds) config[server] = creds;
  }
  return config;
}

/** Names Docker Hub goes by in credential stores (`https://index.docker.io/v1/` is the CLI's key). */
const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * The credentials of `config` for a registry `domain`, matched as Docker matches them: a key's
 * scheme and path are ignored (`https://127.0.0.1:5000/v2/` is `127.0.0.1:5000`), and every name
 * of Docker Hub counts as `docker.io`.
 */
export function credentialsFor(config: RegistryConfig, domain: string): RegistryCredentials | undefined {
  const hostOf = (key: string) =>
    key
      .replace(/^[a-z]+:\/\//i, '')
      .split('/')[0]
      ?.toLowerCase() ?? '';
  const wanted = HUB_HOSTS.has(domain.toLowerCase()) ? 'docker.io' : domain.toLowerCase();
  for (const [key, creds] of Object.entries(config)) {
    const host = hostOf(key);
    if ((HUB_HOSTS.has(host) ? 'docker.io' : host) === wanted) return creds;
  }
  return undefined;
}

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
  const value = Array.isArray(header) ? header[0] : header;
  if (!value?.trim()) return undefined;
  let parsed: unknown;
  try {
    const text = Buffer.from(value.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    parsed = JSON.parse(text);
  } catch {
    throw invalid('X-Registry-Auth is not base64-encoded JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('X-Registry-Auth is not a JSON object');
  }
  const o = parsed as Record<string, unknown>;
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

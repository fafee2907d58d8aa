import type { ApiRequest, ApiResponse } from '../api/route.js';
import { EngineError, invalid } from '../errors.js';
import { DistributionClient } from './distribution-client.js';
import { registryEndpoint } from './endpoint.js';
import type { RegistryCredentials } from './registry-auth.js';

/** The registry domain of a `docker login` server address (`https://index.docker.io/v1/` is Docker Hub). */
export function loginDomain(serverAddress: string | undefined): string {
  const host = (serverAddress || 'docker.io').replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

/**
 * `POST /auth` (`docker login`): checks the credentials against the registry's `/v2/` challenge
 * and answers `Login Succeeded`; the engine keeps nothing (clients send them with each request).
 */
export async function login(insecure: readonly string[], req: ApiRequest, res: ApiResponse): Promise<void> {
  const body = await req.json<{
    username?: string;
    password?: string;
    serveraddress?: string;
    identitytoken?: string;
  }>();
  if (!body.username && !body.identitytoken) throw invalid('username is required to log in');
  const creds: RegistryCredentials = {
    username: body.username,
    password: body.password,
    identityToken: body.identitytoken,
  };
  const client = new DistributionClient(
    registryEndpoint(loginDomain(body.serveraddress), insecure),
    '',
    creds,
    [],
  );
  try {
    await client.ping();
  } catch (err) {
    if (err instanceof EngineError && (err.kind === 'unauthorized' || err.kind === 'forbidden')) {
      throw new EngineError(
        'unauthorized',
        `Get "${client.endpoint.base.href}v2/": unauthorized: incorrect username or password`,
      );
    }
    throw err;
  }
  res.json(200, { Status: 'Login Succeeded', IdentityToken: '' });
}

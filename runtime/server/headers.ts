import { ENGINE_VERSION } from '../system/engine-version.js';
import { API_VERSION } from './api-version.js';

/** Headers on every response, as dockerd sets them (clients read `Api-Version` and `Ostype`). */
export function commonHeaders(): Record<string, string> {
  return {
    'Api-Version': API_VERSION,
    Server: `Docker/${ENGINE_VERSION} (linux)`,
    Ostype: 'linux',
    'Docker-Experimental': 'false',
  };
}

/** Headers `/_ping` adds: the legacy builder, and never cached. */
export const PING_HEADERS: Record<string, string> = {
  'Builder-Version': '1',
  'Cache-Control': 'no-cache, no-store, must-revalidate',
  Pragma: 'no-cache',
};

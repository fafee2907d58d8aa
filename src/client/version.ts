import type { IncomingMessage } from 'node:http';

/** The oldest Engine API berth works with (Docker 19.03). */
export const MIN_API_VERSION = '1.40';

/** The newest Engine API berth speaks; newer engines are addressed at this version. */
export const MAX_API_VERSION = '1.43';

/** Compares dotted versions numerically: negative when `a < b`. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Sends one unversioned request and returns the answer with its whole body. */
type Send = (method: string, path: string) => Promise<{ res: IncomingMessage; text: string }>;

/**
 * Asks the engine which API version it speaks: the `Api-Version` header of `HEAD /_ping`
 * (then `GET /_ping`), else `ApiVersion` from `GET /version`. The version used is the lower of
 * the server's and {@link MAX_API_VERSION}.
 */
export async function negotiateVersion(
  send: Send,
): Promise<{ version: string; server: string; minimum: string }> {
  let server = await pingVersion(send, 'HEAD').catch(() => undefined);
  server ??= await pingVersion(send, 'GET');
  if (!server) {
    const { text } = await send('GET', '/version');
    server = (JSON.parse(text) as { ApiVersion?: string }).ApiVersion;
  }
  server ??= MIN_API_VERSION;
  const version = compareVersions(server, MAX_API_VERSION) > 0 ? MAX_API_VERSION : server;
  return { version, server, minimum: MIN_API_VERSION };
}

async function pingVersion(send: Send, method: 'HEAD' | 'GET'): Promise<string | undefined> {
  const { res } = await send(method, '/_ping');
  const header = res.headers['api-version'];
  return typeof header === 'string' && /^\d+\.\d+$/.test(header) ? header : undefined;
}

import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { apiTooOld } from '../../../src/client/errors.js';
import { resolveHost } from '../../../src/client/host.js';
import {
  compareVersions,
  MAX_API_VERSION,
  MIN_API_VERSION,
  negotiateVersion,
} from '../../../src/client/version.js';

/** Answers as an engine would: `/_ping` headers per method, `/version` body. */
function answers(ping: Partial<Record<'HEAD' | 'GET', string | Error>>, version?: string) {
  const asked: string[] = [];
  const send = async (method: string, path: string) => {
    asked.push(`${method} ${path}`);
    if (path === '/version')
      return { res: { headers: {} } as IncomingMessage, text: JSON.stringify({ ApiVersion: version }) };
    const header = ping[method as 'HEAD' | 'GET'];
    if (header instanceof Error) throw header;
    return {
      res: { headers: header ? { 'api-version': header } : {} } as unknown as IncomingMessage,
      text: '',
    };
  };
  return { send, asked };
}

describe('API version negotiation', () => {
  it('uses the Api-Version header of HEAD /_ping', async () => {
    const { send, asked } = answers({ HEAD: '1.41' });
    expect(await negotiateVersion(send)).toEqual({
      version: '1.41',
      server: '1.41',
      minimum: MIN_API_VERSION,
    });
    expect(asked).toEqual(['HEAD /_ping']);
  });

  it('falls back to GET /_ping, then GET /version', async () => {
    const viaGet = answers({ HEAD: new Error('405'), GET: '1.40' });
    expect((await negotiateVersion(viaGet.send)).version).toBe('1.40');
    const viaVersion = answers({ HEAD: '', GET: '' }, '1.42');
    expect((await negotiateVersion(viaVersion.send)).version).toBe('1.42');
    expect(viaVersion.asked).toEqual(['HEAD /_ping', 'GET /_ping', 'GET /version']);
  });

  it('speaks at most the newest version berth knows', async () => {
    const { send } = answers({ HEAD: '1.47' });
    expect(await negotiateVersion(send)).toMatchObject({ version: MAX_API_VERSION, server: '1.47' });
  });

  it('reports the server version so an old engine can be refused with both versions named', async () => {
    const { send } = answers({ HEAD: '1.25' });
    const { server, minimum } = await negotiateVersion(send);
    expect(compareVersions(server, minimum)).toBeLessThan(0);
    const err = apiTooOld(server, minimum, resolveHost({ host: 'unix:///e.sock' }, {}));
    expect(err.kind).toBe('unavailable');
    expect(err.message).toBe(
      `the engine at unix:///e.sock speaks Engine API 1.25, older than ${MIN_API_VERSION} which berth needs; upgrade the engine`,
    );
  });

  it('compares versions numerically', () => {
    expect(compareVersions('1.9', '1.10')).toBeLessThan(0);
    expect(compareVersions('1.41', '1.41')).toBe(0);
    expect(compareVersions('2.0', '1.99')).toBeGreaterThan(0);
  });
});

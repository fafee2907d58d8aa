import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistributionClient } from '../../../runtime/registry/distribution-client.js';
import { registryEndpoint } from '../../../runtime/registry/endpoint.js';
import { answerTogether, listenLoopback } from './fake-image.js';

const BASIC = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
const DIGESTS = ['a', 'b', 'c'].map((c) => `sha256:${c.repeat(64)}`);

// Layers are HEADed and uploaded in parallel: a registry asking for basic auth answers all of
// the first requests with 401 at once. Each must repeat with the credentials (one answer for
// all), never give up because another request set them first.
describe('registry client: parallel requests meeting one auth challenge', () => {
  let server: Server;
  let address: string;
  /** Unauthenticated answers (401s) held until every parallel request has arrived. */
  const challengesTogether = answerTogether(DIGESTS.length);
  const authorized: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.headers.authorization === BASIC) {
        authorized.push(req.url ?? '');
        return void res.writeHead(200).end();
      }
      challengesTogether(() => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fake"' }).end());
    });
    address = await listenLoopback(server);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it('every request gets through with the one answer', async () => {
    const endpoint = registryEndpoint(address, []);
    const client = new DistributionClient(endpoint, 'team/app', { username: 'alice', password: 's3cret' }, [
      'pull',
      'push',
    ]);
    const found = await Promise.all(DIGESTS.map((d) => client.hasBlob(d)));
    expect(found).toEqual([true, true, true]);
    expect(authorized.sort()).toEqual(DIGESTS.map((d) => `/v2/team/app/blobs/${d}`).sort());
  });

  it('wrong credentials still fail once, without a loop', async () => {
    const endpoint = registryEndpoint(address, []);
    const client = new DistributionClient(endpoint, 'team/app', { username: 'alice', password: 'nope' }, [
      'pull',
    ]);
    const results = await Promise.allSettled(DIGESTS.map((d) => client.hasBlob(d)));
    for (const r of results) expect(r.status).toBe('rejected');
  });
});

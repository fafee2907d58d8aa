import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { jsonLines, send } from '../images/api-client.js';
import { fakeImage, listenLoopback as listen, sha } from './fake-image.js';

// A token-auth registry (as Docker Hub works): the challenge names a token realm, the token is
// asked for with the user's credentials and the repository's scope, and blob downloads redirect
// to a storage host that must never see any credential.
describe('embedded engine: bearer token auth and redirects', () => {
  let engine: EmbeddedEngine;
  let registry: Server;
  let storage: Server;
  let address: string;
  const tokenRequests: URL[] = [];
  const storageHeaders: IncomingHttpHeaders[] = [];
  const { layer, config, manifest: manifestOf } = fakeImage([{ name: 'token.txt', data: 'bearer\n' }], 'oci');
  const manifest = manifestOf();

  beforeAll(async () => {
    engine = await startEmbeddedEngine();
    storage = createServer((req, res) => {
      storageHeaders.push(req.headers);
      res.writeHead(200).end(req.url?.endsWith(sha(layer).slice(7)) ? layer : config);
    });
    const storageAddress = await listen(storage);
    registry = createServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://${address}`);
      if (url.pathname === '/token') {
        tokenRequests.push(url);
        const basic = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
        if (req.headers.authorization !== basic) return void res.writeHead(401).end();
        return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"token":"tok-123"}');
      }
      if (req.headers.authorization !== 'Bearer tok-123') {
        res.writeHead(401, {
          'WWW-Authenticate': `Bearer realm="http://${address}/token",service="fake-registry",scope="repository:team/app:pull"`,
        });
        return void res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      }
      if (url.pathname === '/v2/team/app/manifests/latest') {
        return void res
          .writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' })
          .end(manifest);
      }
      const blob = /^\/v2\/team\/app\/blobs\/sha256:([a-f0-9]{64})$/.exec(url.pathname);
      if (blob)
        return void res.writeHead(307, { Location: `http://${storageAddress}/store/${blob[1]}` }).end();
      res.writeHead(404).end();
    });
    address = await listen(registry);
  });
  afterAll(async () => {
    await engine?.stop();
    for (const s of [registry, storage]) {
      s?.closeAllConnections();
      await new Promise((r) => s?.close(r));
    }
  });

  it('gets a token for the repository scope and never sends credentials to the redirect target', async () => {
    const auth = Buffer.from(JSON.stringify({ username: 'alice', password: 's3cret' })).toString('base64url');
    const res = await send(
      engine.socketPath,
      'POST',
      `/images/create?fromImage=${address}/team/app&tag=latest`,
      undefined,
      {
        'X-Registry-Auth': auth,
      },
    );
    expect(res.status).toBe(200);
    const lines = jsonLines(res.text);
    expect(lines.filter((l) => l.error)).toEqual([]);
    expect(lines).toContainEqual({ status: `Status: Downloaded newer image for ${address}/team/app:latest` });
    expect(tokenRequests[0]?.searchParams.get('service')).toBe('fake-registry');
    expect(tokenRequests[0]?.searchParams.getAll('scope')).toEqual(['repository:team/app:pull']);
    expect(storageHeaders.length).toBe(2); // config and layer
    for (const h of storageHeaders) expect(h.authorization).toBeUndefined();
    // Neither the password, the header that carried it, nor the token reach the engine's log.
    for (const secret of ['s3cret', auth, 'tok-123']) expect(engine.log()).not.toContain(secret);
  });

  it('refuses an anonymous pull when the realm wants credentials', async () => {
    const res = await send(
      engine.socketPath,
      'POST',
      `/images/create?fromImage=${address}/team/app&tag=other`,
    );
    expect(res.status).toBe(401);
    expect(res.json<{ message: string }>().message).toMatch(/^getting a token from 127\.0\.0\.1:\d+ failed/);
  });
});

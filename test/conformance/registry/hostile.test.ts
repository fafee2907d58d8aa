import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { jsonLines, send } from '../images/api-client.js';
import { fakeImage as image, listenLoopback, sha } from './fake-image.js';

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

// A tiny fake registry on loopback serves what a real one never would; each pull is refused with
// a clear message and leaves the store as it was (no image, no blob, no file outside the layer).
describe('embedded engine: hostile registry content', () => {
  let engine: EmbeddedEngine;
  let server: Server;
  let address: string;
  const escapeName = `berth-escape-${process.pid}-${Date.now()}`;
  const manifests = new Map<string, { type: string; body: Buffer }>();
  const blobs = new Map<string, Buffer>();
  let flakyLayer = '';
  let flakyCuts = 0;
  let flakyRange = '';

  beforeAll(async () => {
    engine = await startEmbeddedEngine();
    const good = image([{ name: 'hello.txt', data: 'hello\n' }]);
    const lying = Buffer.from(good.layer);
    lying[lying.length - 5] = (lying[lying.length - 5] ?? 0) ^ 0xff;
    const escaping = image([{ name: `../../../../../../tmp/${escapeName}`, data: 'out\n' }]);
    blobs.set(sha(good.config), good.config);
    blobs.set(sha(escaping.config), escaping.config);
    blobs.set(sha(escaping.layer), escaping.layer);
    blobs.set(sha(good.layer), lying); // served under the good digest, with other bytes
    const flaky = image([{ name: 'flaky.txt', data: 'x'.repeat(200_000) }]);
    blobs.set(sha(flaky.config), flaky.config);
    blobs.set(sha(flaky.layer), flaky.layer);
    flakyLayer = sha(flaky.layer);
    manifests.set('flaky', { type: DOCKER_MANIFEST, body: flaky.manifest() });
    manifests.set('big', { type: DOCKER_MANIFEST, body: Buffer.alloc(5 * 1024 * 1024, 32) });
    manifests.set('baddigest', { type: DOCKER_MANIFEST, body: good.manifest() });
    manifests.set('escape', { type: DOCKER_MANIFEST, body: escaping.manifest() });
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha(good.manifest()),
          size: 10,
          platform: { os: 'linux', architecture: 's390x' },
        },
      ],
    };
    manifests.set('noplatform', { type: index.mediaType, body: Buffer.from(JSON.stringify(index)) });
    server = createServer((req, res) => {
      const url = req.url ?? '';
      const m = /^\/v2\/hostile\/([a-z]+)\/manifests\/latest$/.exec(url);
      const b = /^\/v2\/hostile\/[a-z]+\/blobs\/(sha256:[a-f0-9]{64})$/.exec(url);
      const found = m?.[1] ? manifests.get(m[1]) : undefined;
      if (url === '/v2/') res.writeHead(200).end('{}');
      else if (found) res.writeHead(200, { 'Content-Type': found.type }).end(found.body);
      else if (b?.[1] === flakyLayer && flakyCuts++ === 0) {
        // The first download of this layer drops the connection half-way.
        const bytes = blobs.get(b[1]) as Buffer;
        res.writeHead(200, { 'Content-Length': bytes.length });
        res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
      } else if (b?.[1] === flakyLayer && req.headers.range) {
        flakyRange = req.headers.range;
        const from = Number(/^bytes=(\d+)-$/.exec(flakyRange)?.[1] ?? 0);
        const bytes = blobs.get(b[1]) as Buffer;
        res.writeHead(206, { 'Content-Range': `bytes ${from}-${bytes.length - 1}/${bytes.length}` });
        res.end(bytes.subarray(from));
      } else if (b?.[1] && blobs.has(b[1])) res.writeHead(200).end(blobs.get(b[1]));
      else
        res
          .writeHead(404, { 'Content-Type': 'application/json' })
          .end('{"errors":[{"code":"NOT_FOUND","message":"not found"}]}');
    });
    address = await listenLoopback(server);
  });
  afterAll(async () => {
    await engine?.stop();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  const pull = (name: string) =>
    send(engine.socketPath, 'POST', `/images/create?fromImage=${address}/hostile/${name}&tag=latest`);
  const expectUnchanged = async () => {
    expect((await send(engine.socketPath, 'GET', '/images/json')).json()).toEqual([]);
    expect(readdirSync(join(engine.dataRoot, 'content', 'blobs', 'sha256'))).toEqual([]);
    expect(readdirSync(join(engine.dataRoot, 'content', 'ingest'))).toEqual([]);
  };

  it('refuses a manifest over the size bound', async () => {
    const res = await pull('big');
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toBe('manifest is larger than 4194304 bytes');
    await expectUnchanged();
  });

  it('refuses a manifest list with no entry for the host platform', async () => {
    const res = await pull('noplatform');
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(
      /^no matching manifest for linux\/amd64 in the manifest list entries \(offered: linux\/s390x\)/,
    );
    await expectUnchanged();
  });

  it('refuses a blob whose digest does not match', async () => {
    const res = await pull('baddigest');
    expect(res.status).toBe(200);
    const errors = jsonLines(res.text).filter((l) => l.error);
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.error)).toMatch(
      /^digest mismatch: expected sha256:[a-f0-9]{64}, got sha256:[a-f0-9]{64}$/,
    );
    await expectUnchanged();
  });

  it('refuses a layer that tries to escape its directory', async () => {
    const res = await pull('escape');
    const errors = jsonLines(res.text).filter((l) => l.error);
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.error)).toMatch(/points outside the root/);
    expect(existsSync(`/tmp/${escapeName}`)).toBe(false);
    await expectUnchanged();
    engine.assertNoLeaks();
  });

  it('resumes a download whose connection dropped where it stopped', async () => {
    const res = await pull('flaky');
    const lines = jsonLines(res.text);
    expect(lines.filter((l) => l.error)).toEqual([]);
    expect(lines.some((l) => String(l.status).startsWith('Retrying in'))).toBe(true);
    expect(lines).toContainEqual({
      status: `Status: Downloaded newer image for ${address}/hostile/flaky:latest`,
    });
    expect(flakyCuts).toBe(2);
    expect(flakyRange).toMatch(/^bytes=[1-9]\d*-$/);
    expect((await send(engine.socketPath, 'DELETE', `/images/${address}/hostile/flaky:latest`)).status).toBe(
      200,
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfsTar } from '../../support/busybox-rootfs.js';
import { DOCKER_SOCKET, dockerAvailable } from '../../support/docker-daemon.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { send } from './api-client.js';

type Json = Record<string, unknown>;

// The Docker daemon is the oracle: the same image (imported there, saved, loaded here) must look
// the same through the image endpoints, field by field, but for where it is stored.
describe.skipIf(!dockerAvailable())('image endpoints answer as dockerd does', () => {
  let engine: EmbeddedEngine;
  let ref: string;
  const ours = (method: string, path: string, body?: Buffer) => send(engine.socketPath, method, path, body);
  const theirs = (method: string, path: string, body?: Buffer) => send(DOCKER_SOCKET, method, path, body);

  beforeAll(async () => {
    engine = await startEmbeddedEngine();
    ref = `${engine.prefix}/parity:1`;
    const [repo, tag] = ref.split(':');
    const imported = await send(
      DOCKER_SOCKET,
      'POST',
      `/v1.41/images/create?fromSrc=-&repo=${repo}&tag=${tag}&changes=${encodeURIComponent('CMD ["sh"]')}&changes=${encodeURIComponent('LABEL berth.test=parity')}`,
      {
        file: busyboxRootfsTar(),
      },
    );
    expect(imported.status, imported.text).toBe(200);
    const saved = await theirs('GET', `/v1.41/images/${ref}/get`);
    expect((await ours('POST', '/v1.41/images/load', saved.body)).status).toBe(200);
  });
  afterAll(async () => {
    await theirs('DELETE', `/v1.41/images/${ref}?force=1`);
    await engine?.stop();
  });

  it('inspect', async () => {
    const [a, b] = [
      await theirs('GET', `/v1.41/images/${ref}/json`),
      await ours('GET', `/v1.41/images/${ref}/json`),
    ];
    const strip = ({ GraphDriver: _g, Metadata: _m, ...rest }: Json) => rest;
    expect(strip(b.json<Json>())).toEqual(strip(a.json<Json>()));
  });

  it('list entry, with filters', async () => {
    const filters = encodeURIComponent(JSON.stringify({ reference: [ref], label: ['berth.test=parity'] }));
    const [a, b] = [
      await theirs('GET', `/v1.41/images/json?filters=${filters}`),
      await ours('GET', `/v1.41/images/json?filters=${filters}`),
    ];
    expect(b.json()).toEqual(a.json());
  });

  it('history', async () => {
    const [a, b] = [
      await theirs('GET', `/v1.41/images/${ref}/history`),
      await ours('GET', `/v1.41/images/${ref}/history`),
    ];
    expect(b.json()).toEqual(a.json());
  });

  it('untag answers', async () => {
    for (const api of [theirs, ours])
      expect((await api('POST', `/v1.41/images/${ref}/tag?repo=${engine.prefix}/parity&tag=2`)).status).toBe(
        201,
      );
    const [a, b] = [
      await theirs('DELETE', `/v1.41/images/${engine.prefix}/parity:2`),
      await ours('DELETE', `/v1.41/images/${engine.prefix}/parity:2`),
    ];
    expect([b.status, b.json()]).toEqual([a.status, a.json()]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarOf } from '../../fixtures/archives/build-tar.js';
import { DOCKER_SOCKET, dockerAvailable } from '../../support/docker-daemon.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { type LocalRegistry, startRegistry } from '../../support/registry.js';
import { jsonLines, send } from '../images/api-client.js';

type Line = Record<string, unknown>;

/** Per-layer statuses dockerd always writes (`Preparing`/`Waiting`/`Pushing` may be coalesced). */
const LAYER_STATUSES = new Set(['Pushed', 'Layer already exists']);

/** A push stream without byte counts, digests and the order parallel layers finish in. */
function pushShape(lines: Line[], repo: string): unknown {
  const perLayer = new Map<string, string[]>();
  const global: unknown[] = [];
  for (const l of lines) {
    const id = typeof l.id === 'string' ? l.id : undefined;
    if (id && /^[0-9a-f]{12}$/.test(id)) {
      if (LAYER_STATUSES.has(String(l.status)))
        perLayer.set(id, [...(perLayer.get(id) ?? []), String(l.status)]);
    } else
      global.push(
        JSON.parse(
          JSON.stringify(l)
            .replaceAll(repo, '<repo>')
            .replace(/sha256:[0-9a-f]{64}/g, '<digest>')
            .replace(/"Size":\d+/g, '"Size":0')
            .replace(/size: \d+/g, 'size: <size>'),
        ),
      );
  }
  return { global, layers: [...perLayer.entries()].sort(([a], [b]) => a.localeCompare(b)) };
}

// dockerd is the oracle for the push stream: the same image (saved by the engine, loaded into
// dockerd) pushed by each to its own repository, first in full, then again with nothing to send.
describe.skipIf(!dockerAvailable())('push progress matches dockerd', () => {
  let registry: LocalRegistry;
  let engine: EmbeddedEngine;
  let ours: string;
  let theirs: string;
  const push = async (socket: string, repo: string) => {
    const res = await send(socket, 'POST', `/images/${repo}/push?tag=v1`, undefined, {
      'X-Registry-Auth': Buffer.from('{}').toString('base64'),
    });
    expect(res.status, res.text).toBe(200);
    return jsonLines(res.text);
  };

  beforeAll(async () => {
    registry = await startRegistry();
    engine = await startEmbeddedEngine();
    ours = `${registry.address}/${engine.prefix}/ours`;
    theirs = `${registry.address}/${engine.prefix}/theirs`;
    const files = [0, 1].map((i) => ({ name: `f${i}.txt`, data: `${engine.prefix} ${i}\n` }));
    const context = tarOf([
      { name: 'Dockerfile', data: 'FROM scratch\nCOPY f0.txt /\nCOPY f1.txt /\n' },
      ...files,
    ]);
    const built = await send(
      engine.socketPath,
      'POST',
      `/build?t=${encodeURIComponent(`${ours}:v1`)}`,
      context,
    );
    expect(jsonLines(built.text).filter((l) => l.error)).toEqual([]);
    const saved = await send(engine.socketPath, 'GET', `/images/${ours}:v1/get`);
    expect((await send(DOCKER_SOCKET, 'POST', '/images/load?quiet=1', saved.body)).status).toBe(200);
    expect((await send(DOCKER_SOCKET, 'POST', `/images/${ours}:v1/tag?repo=${theirs}&tag=v1`)).status).toBe(
      201,
    );
    await send(DOCKER_SOCKET, 'DELETE', `/images/${ours}:v1`);
  }, 120_000);
  afterAll(async () => {
    await send(DOCKER_SOCKET, 'DELETE', `/images/${theirs}:v1?force=1`);
    await engine?.stop();
    await registry?.stop();
  });

  it('a first push, and a push with every blob already there', async () => {
    const first = [await push(engine.socketPath, ours), await push(DOCKER_SOCKET, theirs)];
    expect(pushShape(first[0] as Line[], ours)).toEqual(pushShape(first[1] as Line[], theirs));
    expect(pushShape(first[0] as Line[], ours)).toEqual({
      global: [
        { status: 'The push refers to repository [<repo>]' },
        { status: 'v1: digest: <digest> size: <size>' },
        { progressDetail: {}, aux: { Tag: 'v1', Digest: '<digest>', Size: 0 } },
      ],
      layers: [expect.anything(), expect.anything()].map(() => [expect.any(String), ['Pushed']]),
    });
    const again = [await push(engine.socketPath, ours), await push(DOCKER_SOCKET, theirs)];
    expect(pushShape(again[0] as Line[], ours)).toEqual(pushShape(again[1] as Line[], theirs));
  });
});

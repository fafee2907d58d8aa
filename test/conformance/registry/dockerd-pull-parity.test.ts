import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarOf } from '../../fixtures/archives/build-tar.js';
import { DOCKER_SOCKET, dockerAvailable } from '../../support/docker-daemon.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { type LocalRegistry, startRegistry } from '../../support/registry.js';
import { jsonLines, send } from '../images/api-client.js';

type Line = Record<string, unknown>;

/** Per-layer statuses dockerd always writes (its progress output may drop the ones in between). */
const LAYER_STATUSES = new Set(['Pulling fs layer', 'Already exists', 'Pull complete']);

/**
 * A pull stream with what differs by nature removed: byte counts of `Downloading`/`Extracting`,
 * `Waiting`, `Verifying Checksum` and `Download complete` (dockerd's progress writer coalesces
 * updates of a layer, so those come or not), and the order in which parallel layers finish.
 */
function pullShape(lines: Line[]): unknown {
  const kept = lines.filter(
    (l) => typeof l.id !== 'string' || !/^[0-9a-f]{12}$/.test(l.id) || LAYER_STATUSES.has(String(l.status)),
  );
  const perLayer = new Map<string, string[]>();
  const global: string[] = [];
  for (const l of kept) {
    const id = typeof l.id === 'string' ? l.id : undefined;
    const status = String(l.status ?? l.error);
    if (id && /^[0-9a-f]{12}$/.test(id)) perLayer.set(id, [...(perLayer.get(id) ?? []), status]);
    else global.push(id ? `${id}: ${status}` : status);
  }
  return { global, layers: [...perLayer.entries()].sort(([a], [b]) => a.localeCompare(b)) };
}

// dockerd is the oracle for the pull stream: the same image from the same registry, pulled
// cold, with one layer present, and when up to date, gives the same lines per layer and overall.
describe.skipIf(!dockerAvailable())('pull progress matches dockerd', () => {
  let registry: LocalRegistry;
  let source: EmbeddedEngine;
  let target: EmbeddedEngine;
  let repo: string;
  const pull = async (socket: string, tag: string) => {
    const res = await send(socket, 'POST', `/images/create?fromImage=${repo}&tag=${tag}`);
    expect(res.status, res.text).toBe(200);
    return jsonLines(res.text);
  };

  beforeAll(async () => {
    registry = await startRegistry();
    [source, target] = await Promise.all([startEmbeddedEngine(), startEmbeddedEngine()]);
    repo = `${registry.address}/${source.prefix}/parity`;
    // Two tags: v2 adds a layer on v1, so pulling v2 after v1 finds v1's layers present.
    const files = (n: number) =>
      Object.fromEntries([...Array(n).keys()].map((i) => [`f${i}.txt`, `${source.prefix} ${i}\n`]));
    for (const [tag, n] of [
      ['v1', 2],
      ['v2', 3],
    ] as const) {
      const steps = [...Array(n).keys()].map((i) => `COPY f${i}.txt /f${i}.txt`).join('\n');
      const context = tarOf([
        // FROM scratch with files unique to this run: dockerd holds none of these layers.
        { name: 'Dockerfile', data: `FROM scratch\n${steps}\n` },
        ...Object.entries(files(n)).map(([name, data]) => ({ name, data })),
      ]);
      const built = await send(
        source.socketPath,
        'POST',
        `/build?t=${encodeURIComponent(`${repo}:${tag}`)}`,
        context,
      );
      expect(jsonLines(built.text).filter((l) => l.error)).toEqual([]);
      const pushed = jsonLines(
        (await send(source.socketPath, 'POST', `/images/${repo}/push?tag=${tag}`)).text,
      );
      expect(pushed.filter((l) => l.error)).toEqual([]);
    }
  }, 120_000);
  afterAll(async () => {
    for (const tag of ['v1', 'v2']) await send(DOCKER_SOCKET, 'DELETE', `/images/${repo}:${tag}?force=1`);
    await Promise.all([source?.stop(), target?.stop()]);
    await registry?.stop();
  });

  it('a cold pull', async () => {
    const [ours, theirs] = [await pull(target.socketPath, 'v1'), await pull(DOCKER_SOCKET, 'v1')];
    expect(pullShape(ours)).toEqual(pullShape(theirs));
    for (const lines of [ours, theirs]) {
      const progress = lines.find((l) => l.status === 'Downloading');
      expect(progress?.progressDetail).toEqual({ current: expect.any(Number), total: expect.any(Number) });
    }
  });

  it('a pull with some layers present', async () => {
    const [ours, theirs] = [await pull(target.socketPath, 'v2'), await pull(DOCKER_SOCKET, 'v2')];
    expect(pullShape(ours)).toEqual(pullShape(theirs));
  });

  it('a pull of an image that is up to date', async () => {
    const [ours, theirs] = [await pull(target.socketPath, 'v2'), await pull(DOCKER_SOCKET, 'v2')];
    expect(pullShape(ours)).toEqual(pullShape(theirs));
  });
});

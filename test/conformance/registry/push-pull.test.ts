import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarOf } from '../../fixtures/archives/build-tar.js';
import { busyboxRootfsTar, TEST_IMAGE_CHANGES } from '../../support/busybox-rootfs.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { type LocalRegistry, startRegistry } from '../../support/registry.js';
import { jsonLines, send } from '../images/api-client.js';
import { type CountingProxy, startCountingProxy } from './counting-proxy.js';

type Line = Record<string, unknown>;
/** Async, so the counting proxy (in this process) keeps answering while skopeo runs. */
const run = async (cmd: string, args: string[]) =>
  (await promisify(execFile)(cmd, args, { encoding: 'utf8' })).stdout;
const statuses = (lines: Line[], status: string) => lines.filter((l) => l.status === status);
const errorsOf = (lines: Line[]) => lines.filter((l) => l.error).map((l) => l.error);
/** Uploads that completed a blob: the PUT ending a session, by digest. */
const uploadedBlobs = (proxy: CountingProxy) =>
  proxy.seen
    .filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/') && r.status === 201)
    .map((r) => decodeURIComponent(/[?&]digest=([^&]+)/.exec(r.path)?.[1] ?? ''));
const downloadedBlobs = (proxy: CountingProxy) =>
  proxy.seen
    .filter((r) => r.method === 'GET' && /\/blobs\/sha256:/.test(r.path))
    .map((r) => r.path.split('/').pop());

// Push to and pull from Debian's docker-registry (distribution 2.8) through a counting proxy:
// only the layers the other side lacks move, and skopeo reads back the same digests.
describe('embedded engine: registry push and pull', () => {
  let registry: LocalRegistry;
  let proxy: CountingProxy;
  let source: EmbeddedEngine;
  let target: EmbeddedEngine;
  let repo: string;
  const api = (engine: EmbeddedEngine, method: string, path: string, body?: Buffer | { file: string }) =>
    send(engine.socketPath, method, path, body);

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startCountingProxy(registry.address);
    [source, target] = await Promise.all([startEmbeddedEngine(), startEmbeddedEngine()]);
    repo = `${proxy.address}/${source.prefix}/app`;
    const changes = TEST_IMAGE_CHANGES.map((c) => `changes=${encodeURIComponent(c)}`).join('&');
    const imported = await api(source, 'POST', `/images/create?fromSrc=-&repo=${repo}&tag=v1&${changes}`, {
      file: busyboxRootfsTar(),
    });
    expect(imported.status, imported.text).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    await proxy?.close();
    await registry?.stop();
  });

  let v1Digest: string;
  it('pushes an image: every blob uploaded once, then the manifest', async () => {
    proxy.reset();
    const res = await api(source, 'POST', `/images/${repo}/push?tag=v1`);
    expect(res.status).toBe(200);
    const lines = jsonLines(res.text);
    expect(errorsOf(lines)).toEqual([]);
    expect(lines[0]?.status).toBe(`The push refers to repository [${repo}]`);
    expect(statuses(lines, 'Pushed')).toHaveLength(1);
    const aux = lines.find((l) => l.aux)?.aux as { Tag: string; Digest: string; Size: number };
    expect(aux.Tag).toBe('v1');
    expect(aux.Digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    v1Digest = aux.Digest;
    expect(lines.some((l) => l.status === `v1: digest: ${aux.Digest} size: ${aux.Size}`)).toBe(true);
    expect(uploadedBlobs(proxy)).toHaveLength(2); // the layer and the config
    const inspect = (await api(source, 'GET', `/images/${repo}:v1/json`)).json<{ RepoDigests: string[] }>();
    expect(inspect.RepoDigests).toContain(`${repo}@${aux.Digest}`);
  });

  it('pushes again with the same digests and uploads nothing', async () => {
    proxy.reset();
    const lines = jsonLines((await api(source, 'POST', `/images/${repo}/push?tag=v1`)).text);
    expect(errorsOf(lines)).toEqual([]);
    expect(statuses(lines, 'Layer already exists')).toHaveLength(1);
    expect((lines.find((l) => l.aux)?.aux as { Digest: string }).Digest).toBe(v1Digest);
    expect(uploadedBlobs(proxy)).toEqual([]);
    // Each blob (the layer and the config) was asked for with HEAD; no upload session opened.
    const heads = proxy.seen.filter((r) => r.method === 'HEAD' && /\/blobs\/sha256:/.test(r.path));
    expect(new Set(heads.map((r) => r.path.split('/').pop())).size).toBe(2);
    expect(proxy.seen.filter((r) => r.method === 'POST')).toEqual([]);
    expect(proxy.seen.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([
      expect.stringMatching(/\/manifests\/v1$/),
    ]);
  });

  it('pulls into an empty engine: same image ID, digest recorded', async () => {
    const res = await api(target, 'POST', `/images/create?fromImage=${repo}&tag=v1`);
    expect(res.status, res.text).toBe(200);
    const lines = jsonLines(res.text);
    expect(errorsOf(lines)).toEqual([]);
    expect(statuses(lines, 'Pull complete')).toHaveLength(1);
    expect(lines).toContainEqual({ status: `Digest: ${v1Digest}` });
    expect(lines).toContainEqual({ status: `Status: Downloaded newer image for ${repo}:v1` });
    expect(
      lines.some((l) => l.status === 'Downloading' && (l.progressDetail as { total: number }).total > 0),
    ).toBe(true);
    const a = (await api(source, 'GET', `/images/${repo}:v1/json`)).json<{ Id: string }>();
    const b = (await api(target, 'GET', `/images/${repo}:v1/json`)).json<{
      Id: string;
      RepoDigests: string[];
    }>();
    expect(b.Id).toBe(a.Id);
    expect(b.RepoDigests).toEqual([`${repo}@${v1Digest}`]);
    const again = jsonLines((await api(target, 'POST', `/images/create?fromImage=${repo}&tag=v1`)).text);
    expect(again).toContainEqual({ status: `Status: Image is up to date for ${repo}:v1` });
    // As dockerd: an image held whole gets no per-layer lines.
    expect(again.filter((l) => l.id && l.id !== 'v1')).toEqual([]);
  });

  it('a rebuild with one changed layer pushes and pulls exactly that layer', async () => {
    const context = tarOf([
      { name: 'Dockerfile', data: `FROM ${repo}:v1\nCOPY note.txt /note.txt\n` },
      { name: 'note.txt', data: `changed ${Date.now()}\n` },
    ]);
    const built = await api(source, 'POST', `/build?t=${encodeURIComponent(`${repo}:v2`)}`, context);
    expect(built.status, built.text).toBe(200);
    expect(errorsOf(jsonLines(built.text))).toEqual([]);

    proxy.reset();
    const pushed = jsonLines((await api(source, 'POST', `/images/${repo}/push?tag=v2`)).text);
    expect(errorsOf(pushed)).toEqual([]);
    expect(statuses(pushed, 'Pushed')).toHaveLength(1);
    expect(statuses(pushed, 'Layer already exists')).toHaveLength(1);
    const v2Digest = (pushed.find((l) => l.aux)?.aux as { Digest: string }).Digest;
    const manifest = JSON.parse(
      await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${repo}:v2`]),
    ) as { layers: Array<{ digest: string; size: number }>; config: { digest: string; size: number } };
    const newLayer = manifest.layers[1]?.digest;
    expect(uploadedBlobs(proxy).sort()).toEqual([newLayer, manifest.config.digest].sort());
    // Bytes too: the new layer and the config, not the base layer (manifest PUT aside).
    const blobBytes = (manifest.layers[1]?.size ?? 0) + manifest.config.size;
    const sentBlobs = proxy.seen.filter((r) => r.path.includes('/blobs/')).reduce((n, r) => n + r.sent, 0);
    expect(sentBlobs).toBe(blobBytes);

    proxy.reset();
    const pulled = jsonLines((await api(target, 'POST', `/images/create?fromImage=${repo}&tag=v2`)).text);
    expect(errorsOf(pulled)).toEqual([]);
    expect(statuses(pulled, 'Already exists')).toHaveLength(1);
    expect(statuses(pulled, 'Pull complete')).toHaveLength(1);
    expect(pulled).toContainEqual({ status: `Digest: ${v2Digest}` });
    expect(downloadedBlobs(proxy).sort()).toEqual([newLayer, manifest.config.digest].sort());
    const receivedBlobs = proxy.seen
      .filter((r) => r.path.includes('/blobs/'))
      .reduce((n, r) => n + r.received, 0);
    expect(receivedBlobs).toBe(blobBytes);
  });

  it('skopeo copies the pushed image back with the same digests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-skopeo-'));
    try {
      await run('skopeo', ['copy', '--src-tls-verify=false', `docker://${repo}:v1`, `dir:${dir}`]);
      const raw = readFileSync(join(dir, 'manifest.json'));
      const digest = (await run('skopeo', ['manifest-digest', join(dir, 'manifest.json')])).trim();
      expect(digest).toBe(v1Digest);
      const manifest = JSON.parse(raw.toString()) as {
        config: { digest: string };
        layers: Array<{ digest: string }>;
      };
      const pulled = (await api(target, 'GET', `/images/${repo}:v1/json`)).json<{ Id: string }>();
      expect(manifest.config.digest).toBe(pulled.Id);
      for (const blob of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
        const hex = blob.slice(7);
        const sum = (await run('sha256sum', [join(dir, hex)])).split(' ')[0];
        expect(sum).toBe(hex);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps digests across save and load: a loaded image pushes as the same manifest, uploading nothing', async () => {
    const saved = await api(source, 'GET', `/images/${repo}:v1/get`);
    expect(saved.status).toBe(200);
    const fresh = await startEmbeddedEngine();
    try {
      const loaded = await api(fresh, 'POST', '/images/load?quiet=1', saved.body);
      expect(loaded.status, loaded.text).toBe(200);
      proxy.reset();
      const lines = jsonLines((await api(fresh, 'POST', `/images/${repo}/push?tag=v1`)).text);
      expect(errorsOf(lines)).toEqual([]);
      expect(statuses(lines, 'Layer already exists')).toHaveLength(1);
      expect((lines.find((l) => l.aux)?.aux as { Digest: string }).Digest).toBe(v1Digest);
      expect(uploadedBlobs(proxy)).toEqual([]);
    } finally {
      await fresh.stop();
    }
  });

  it('mounts blobs from another repository of the same registry instead of uploading', async () => {
    const other = `${proxy.address}/${source.prefix}/other`;
    expect((await api(source, 'POST', `/images/${repo}:v1/tag?repo=${other}&tag=v1`)).status).toBe(201);
    proxy.reset();
    const lines = jsonLines((await api(source, 'POST', `/images/${other}/push?tag=v1`)).text);
    expect(errorsOf(lines)).toEqual([]);
    expect(statuses(lines, `Mounted from ${source.prefix}/app`)).toHaveLength(1);
    expect(uploadedBlobs(proxy)).toEqual([]);
    expect((lines.find((l) => l.aux)?.aux as { Digest: string }).Digest).toBe(v1Digest);
  });

  it('answers /distribution with the manifest descriptor', async () => {
    const res = await api(target, 'GET', `/distribution/${repo}:v1/json`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      Descriptor: {
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        digest: v1Digest,
        size: expect.any(Number),
      },
      Platforms: [],
    });
  });

  it('answers a missing tag or a missing local image with the messages Docker gives', async () => {
    const missing = await api(target, 'POST', `/images/create?fromImage=${repo}&tag=nope`);
    expect(missing.status).toBe(404);
    expect(missing.json<{ message: string }>().message).toBe(
      `manifest for ${repo}:nope not found: manifest unknown: manifest unknown`,
    );
    const notLocal = await api(target, 'POST', `/images/${repo}/push?tag=nope`);
    expect(notLocal.status).toBe(404);
    expect(notLocal.json<{ message: string }>().message).toBe(
      `An image does not exist locally with the tag: ${repo}:nope`,
    );
  });

  it('pulls every tag when none is given (docker pull -a)', async () => {
    expect((await api(target, 'DELETE', `/images/${repo}:v2`)).status).toBe(200);
    const res = await api(target, 'POST', `/images/create?fromImage=${repo}`);
    expect(res.status).toBe(200);
    const lines = jsonLines(res.text);
    expect(errorsOf(lines)).toEqual([]);
    expect(statuses(lines, `Pulling from ${source.prefix}/app`).map((l) => l.id)).toEqual(['v1', 'v2']);
    expect(lines.at(-1)).toEqual({ status: `Status: Downloaded newer image for ${repo}` });
    for (const tag of ['v1', 'v2'])
      expect((await api(target, 'GET', `/images/${repo}:${tag}/json`)).status).toBe(200);
  });
});

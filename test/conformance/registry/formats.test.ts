import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureEntry, tarOf, tgzOf } from '../../fixtures/archives/build-tar.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { jsonLines, send } from '../images/api-client.js';
import { answerTogether, listenLoopback, sha } from './fake-image.js';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const HOST_ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const short = (digest: string) => digest.slice(7, 19);

/** A two-layer image in the OCI media types: its config, layers and manifest. */
function ociImage(layers: FixtureEntry[][], arch: string) {
  const blobs = layers.map((entries) => tgzOf(entries));
  const config = Buffer.from(
    JSON.stringify({
      architecture: arch,
      os: 'linux',
      config: { Cmd: ['/hello'] },
      rootfs: { type: 'layers', diff_ids: layers.map((entries) => sha(tarOf(entries))) },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        size: config.length,
        digest: sha(config),
      },
      layers: blobs.map((b) => ({ mediaType: OCI_LAYER, size: b.length, digest: sha(b) })),
    }),
  );
  return { blobs, config, manifest };
}

// A loopback registry serving an OCI index (a decoy platform first, then the host's) of a
// two-layer OCI manifest: the pull takes the host's entry only, fetches both layers at once,
// reports Docker's progress lines, and works by tag, by digest, and by digest given as the tag.
describe('embedded engine: OCI indexes, OCI manifests, digests and parallel layers', () => {
  let engine: EmbeddedEngine;
  let server: Server;
  let address: string;
  const host = ociImage(
    [[{ name: 'one.txt', data: 'one\n' }], [{ name: 'two.txt', data: 'x'.repeat(100_000) }]],
    HOST_ARCH,
  );
  const decoy = ociImage([[{ name: 'decoy.txt', data: 'decoy\n' }]], 's390x');
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: sha(decoy.manifest),
          size: decoy.manifest.length,
          platform: { os: 'linux', architecture: 's390x' },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: sha(host.manifest),
          size: host.manifest.length,
          platform: { os: 'linux', architecture: HOST_ARCH },
        },
      ],
    }),
  );
  const manifests = new Map<string, { type: string; body: Buffer }>([
    ['latest', { type: OCI_INDEX, body: index }],
    [sha(index), { type: OCI_INDEX, body: index }],
    [sha(host.manifest), { type: OCI_MANIFEST, body: host.manifest }],
    [sha(decoy.manifest), { type: OCI_MANIFEST, body: decoy.manifest }],
  ]);
  const blobs = new Map<string, Buffer>(
    [host.config, ...host.blobs, decoy.config, ...decoy.blobs].map((b) => [sha(b), b]),
  );
  const layerDigests = new Set(host.blobs.map(sha));
  /** Every request the registry saw, `METHOD path`. */
  const seen: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  /** Layer answers held back until both layers are asked for. */
  const layersTogether = answerTogether(layerDigests.size);

  beforeAll(async () => {
    engine = await startEmbeddedEngine();
    server = createServer((req, res) => {
      const url = req.url ?? '';
      seen.push(`${req.method} ${url}`);
      const m = /^\/v2\/formats\/app\/manifests\/(.+)$/.exec(url);
      const b = /^\/v2\/formats\/app\/blobs\/(sha256:[a-f0-9]{64})$/.exec(url);
      const manifest = m?.[1] ? manifests.get(decodeURIComponent(m[1])) : undefined;
      const blob = b?.[1] ? blobs.get(b[1]) : undefined;
      if (url === '/v2/') res.writeHead(200).end('{}');
      else if (manifest) res.writeHead(200, { 'Content-Type': manifest.type }).end(manifest.body);
      else if (blob && layerDigests.has(b?.[1] ?? '')) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        layersTogether(() => {
          inFlight--;
          res.writeHead(200, { 'Content-Length': blob.length }).end(blob);
        });
      } else if (blob) res.writeHead(200).end(blob);
      else
        res
          .writeHead(404, { 'Content-Type': 'application/json' })
          .end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
    });
    address = await listenLoopback(server);
  });
  afterAll(async () => {
    await engine?.stop();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  const pull = (query: string) => send(engine.socketPath, 'POST', `/images/create?${query}`);
  const statusesOf = (lines: Array<Record<string, unknown>>, status: string) =>
    lines.filter((l) => l.status === status).map((l) => l.id);
  const blobGets = () => seen.filter((r) => r.startsWith('GET ') && r.includes('/blobs/'));

  it('takes the host platform from an OCI index and downloads its layers in parallel', async () => {
    const res = await pull(`fromImage=${address}/formats/app&tag=latest`);
    expect(res.status, res.text).toBe(200);
    const lines = jsonLines(res.text);
    expect(lines.filter((l) => l.error)).toEqual([]);
    const ids = host.blobs.map((b) => short(sha(b)));
    expect(lines[0]).toEqual({ status: 'Pulling from formats/app', id: 'latest' });
    expect(statusesOf(lines, 'Pulling fs layer')).toEqual(ids);
    expect(statusesOf(lines, 'Verifying Checksum').sort()).toEqual([...ids].sort());
    expect(statusesOf(lines, 'Download complete').sort()).toEqual([...ids].sort());
    expect(statusesOf(lines, 'Pull complete')).toEqual(ids);
    const downloading = lines.filter((l) => l.status === 'Downloading');
    expect(downloading.length).toBeGreaterThan(0);
    for (const l of downloading) {
      expect(l.progressDetail).toEqual({ current: expect.any(Number), total: expect.any(Number) });
      expect(l.progress).toEqual(expect.any(String));
    }
    expect(lines.at(-2)).toEqual({ status: `Digest: ${sha(index)}` });
    expect(lines.at(-1)).toEqual({
      status: `Status: Downloaded newer image for ${address}/formats/app:latest`,
    });
    // The decoy platform's manifest and blobs are never fetched.
    expect(seen.some((r) => r.includes(sha(decoy.manifest)) || r.includes(sha(decoy.config)))).toBe(false);
    expect(maxInFlight).toBe(2);
    const image = (await send(engine.socketPath, 'GET', `/images/${address}/formats/app:latest/json`)).json<{
      Id: string;
      Architecture: string;
      RepoDigests: string[];
      RootFS: { Layers: string[] };
    }>();
    expect(image.Id).toBe(sha(host.config));
    expect(image.Architecture).toBe(HOST_ARCH);
    expect(image.RepoDigests).toEqual([`${address}/formats/app@${sha(index)}`]);
    expect(image.RootFS.Layers).toHaveLength(2);
  });

  it('pulls by digest (in the reference or as the tag) without downloading present layers', async () => {
    seen.length = 0;
    const byIndex = await pull(`fromImage=${encodeURIComponent(`${address}/formats/app@${sha(index)}`)}`);
    expect(byIndex.status, byIndex.text).toBe(200);
    const lines = jsonLines(byIndex.text);
    expect(lines.filter((l) => l.error)).toEqual([]);
    expect(lines[0]).toEqual({ status: 'Pulling from formats/app', id: sha(index) });
    // The image is held whole: no per-layer lines at all, as dockerd.
    expect(lines.filter((l) => typeof l.id === 'string' && /^[0-9a-f]{12}$/.test(l.id))).toEqual([]);
    expect(lines.at(-1)?.status).toMatch(/^Status: (Image is up to date|Downloaded newer image) for /);
    const byTag = await pull(`fromImage=${address}/formats/app&tag=${sha(host.manifest)}`);
    expect(byTag.status, byTag.text).toBe(200);
    const tagLines = jsonLines(byTag.text);
    expect(tagLines.filter((l) => l.error)).toEqual([]);
    expect(tagLines).toContainEqual({ status: `Digest: ${sha(host.manifest)}` });
    expect(blobGets()).toEqual([]);
    const image = (await send(engine.socketPath, 'GET', `/images/${sha(host.config)}/json`)).json<{
      RepoDigests: string[];
    }>();
    expect(image.RepoDigests).toContain(`${address}/formats/app@${sha(host.manifest)}`);
    const byDigest = await send(
      engine.socketPath,
      'GET',
      `/images/${encodeURIComponent(`${address}/formats/app@${sha(host.manifest)}`)}/json`,
    );
    expect(byDigest.json<{ Id: string }>().Id).toBe(sha(host.config));
  });

  it('pulls by digest into an empty store', async () => {
    expect((await send(engine.socketPath, 'DELETE', `/images/${sha(host.config)}?force=1`)).status).toBe(200);
    seen.length = 0;
    const res = await pull(`fromImage=${address}/formats/app&tag=${sha(host.manifest)}`);
    expect(res.status, res.text).toBe(200);
    const lines = jsonLines(res.text);
    expect(lines.filter((l) => l.error)).toEqual([]);
    expect(lines.at(-1)).toEqual({
      status: `Status: Downloaded newer image for ${address}/formats/app@${sha(host.manifest)}`,
    });
    expect(blobGets().sort()).toEqual(
      [host.config, ...host.blobs].map((b) => `GET /v2/formats/app/blobs/${sha(b)}`).sort(),
    );
    // The tag lookup is never needed for a digest.
    expect(seen.some((r) => r.endsWith('/manifests/latest'))).toBe(false);
  });
});

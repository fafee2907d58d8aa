import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureEntry, tarOf } from '../../fixtures/archives/build-tar.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { jsonLines, send } from './api-client.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const layerTar = (files: Record<string, string>) =>
  tarOf(Object.entries(files).map(([name, data]) => ({ name, data })));
const config = (diffIds: string[], extra: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
      ...extra,
    }),
  );

/** A `docker save` (1.10+) archive of one image, built in code. */
function dockerSave(
  layers: Buffer[],
  tags: string[],
  options: { manifestLayers?: string[]; diffIds?: string[] } = {},
): Buffer {
  const diffIds = options.diffIds ?? layers.map((l) => `sha256:${sha(l)}`);
  const cfg = config(diffIds);
  const names = layers.map((_, i) => `${sha(`layer${i}`)}/layer.tar`);
  const entries: FixtureEntry[] = [{ name: `${sha(cfg)}.json`, data: cfg }];
  for (const [i, l] of layers.entries()) entries.push({ name: names[i] as string, data: l });
  entries.push({
    name: 'manifest.json',
    data: JSON.stringify([
      { Config: `${sha(cfg)}.json`, RepoTags: tags, Layers: options.manifestLayers ?? names },
    ]),
  });
  return tarOf(entries);
}

// Loading the archive formats the engine accepts, built in code: docker save 1.10+ (also
// gzip-compressed, with symlinked duplicate layers), the legacy pre-1.10 layout, OCI image
// layouts (nested index, gzip and zstd layers); and bad archives refused with nothing left behind.
describe('embedded engine: image load formats', () => {
  let engine: EmbeddedEngine;
  let p: string;
  const api = (method: string, path: string, body?: Buffer) => send(engine.socketPath, method, path, body);
  const inspect = async (ref: string) =>
    (await api('GET', `/images/${ref}/json`)).json<{ Id: string; RootFS: { Layers: string[] } }>();

  beforeAll(async () => {
    engine = await startEmbeddedEngine();
    p = engine.prefix;
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('docker save 1.10+, gzip-compressed, two layers sharing a base with a later image', async () => {
    const base = layerTar({ 'base.txt': 'base' });
    const top = layerTar({ 'top.txt': 'top' });
    const res = await api('POST', '/images/load', gzipSync(dockerSave([base, top], [`${p}/two:1`])));
    expect(res.status, res.text).toBe(200);
    expect(jsonLines(res.text)).toEqual([{ stream: `Loaded image: ${p}/two:1\n` }]);
    expect((await inspect(`${p}/two:1`)).RootFS.Layers).toEqual([
      `sha256:${sha(base)}`,
      `sha256:${sha(top)}`,
    ]);
    const again = await api('POST', '/images/load', dockerSave([base], [`${p}/one:1`]));
    expect(again.status, again.text).toBe(200);
  });

  it('docker save with a duplicate layer stored as a symlink to the first copy', async () => {
    const base = layerTar({ 'dedup.txt': 'same' });
    const diffId = `sha256:${sha(base)}`;
    const [c1, c2] = [config([diffId], { comment: 'one' }), config([diffId], { comment: 'two' })];
    const archive = tarOf([
      { name: `${sha(c1)}.json`, data: c1 },
      { name: `${sha(c2)}.json`, data: c2 },
      { name: 'aaaa/layer.tar', data: base },
      { name: 'bbbb/layer.tar', type: 'symlink', linkname: '../aaaa/layer.tar' },
      {
        name: 'manifest.json',
        data: JSON.stringify([
          { Config: `${sha(c1)}.json`, RepoTags: [`${p}/dedup:1`], Layers: ['aaaa/layer.tar'] },
          { Config: `${sha(c2)}.json`, RepoTags: [`${p}/dedup:2`], Layers: ['bbbb/layer.tar'] },
        ]),
      },
    ]);
    const res = await api('POST', '/images/load', archive);
    expect(res.status, res.text).toBe(200);
    expect((await inspect(`${p}/dedup:2`)).Id).toBe(`sha256:${sha(c2)}`);
    expect((await inspect(`${p}/dedup:1`)).RootFS.Layers).toEqual([diffId]);
  });

  it('the legacy layout (repositories, <v1 id>/json and layer.tar with parents)', async () => {
    const [id0, id1] = [sha('legacy0'), sha('legacy1')];
    const archive = tarOf([
      {
        name: `${id0}/json`,
        data: JSON.stringify({
          id: id0,
          created: '2020-01-01T00:00:00Z',
          os: 'linux',
          architecture: 'amd64',
        }),
      },
      { name: `${id0}/layer.tar`, data: layerTar({ a: '1' }) },
      {
        name: `${id1}/json`,
        data: JSON.stringify({
          id: id1,
          parent: id0,
          created: '2020-01-02T00:00:00Z',
          os: 'linux',
          architecture: 'amd64',
          config: { Cmd: ['true'] },
        }),
      },
      { name: `${id1}/layer.tar`, data: layerTar({ b: '2' }) },
      { name: 'repositories', data: JSON.stringify({ [`${p}/legacy`]: { v1: id1 } }) },
    ]);
    const res = await api('POST', '/images/load', archive);
    expect(res.status, res.text).toBe(200);
    expect(jsonLines(res.text)).toEqual([{ stream: `Loaded image: ${p}/legacy:v1\n` }]);
    const image = await api('GET', `/images/${p}/legacy:v1/json`);
    expect(
      image.json<{ Config: { Cmd: string[] }; RootFS: { Layers: string[] } }>().RootFS.Layers,
    ).toHaveLength(2);
    expect(image.json<{ Config: { Cmd: string[] } }>().Config.Cmd).toEqual(['true']);
  });

  it.each([
    ['gzip', gzipSync],
    ['zstd', (b: Buffer) => execFileSync('zstd', ['-c', '-q'], { input: b })],
  ])('an OCI layout with a nested index and %s layers; the blob is kept as it came', async (kind, compress) => {
    const tar = layerTar({ 'oci.txt': kind });
    const gz = compress(tar);
    const cfg = config([`sha256:${sha(tar)}`]);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: `sha256:${sha(cfg)}`,
          size: cfg.length,
        },
        layers: [
          {
            mediaType: `application/vnd.oci.image.layer.v1.tar+${kind}`,
            digest: `sha256:${sha(gz)}`,
            size: gz.length,
          },
        ],
      }),
    );
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: `sha256:${sha(manifest)}`,
            size: manifest.length,
            platform: { os: 'linux', architecture: 'amd64' },
          },
        ],
      }),
    );
    const archive = tarOf([
      { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
      { name: `blobs/sha256/${sha(cfg)}`, data: cfg },
      { name: `blobs/sha256/${sha(gz)}`, data: gz },
      { name: `blobs/sha256/${sha(manifest)}`, data: manifest },
      { name: `blobs/sha256/${sha(index)}`, data: index },
      {
        name: 'index.json',
        data: JSON.stringify({
          schemaVersion: 2,
          manifests: [
            {
              mediaType: 'application/vnd.oci.image.index.v1+json',
              digest: `sha256:${sha(index)}`,
              size: index.length,
              annotations: { 'io.containerd.image.name': `docker.io/${p}/oci-${kind}:1` },
            },
          ],
        }),
      },
    ]);
    const res = await api('POST', '/images/load', archive);
    expect(res.status, res.text).toBe(200);
    expect((await inspect(`${p}/oci-${kind}:1`)).Id).toBe(`sha256:${sha(cfg)}`);
    expect(readdirSync(join(engine.dataRoot, 'content/blobs/sha256'))).toContain(sha(gz));
  });

  it.each([
    [
      'a layer whose diffID does not match',
      () => dockerSave([layerTar({ x: '1' })], ['bad:1'], { diffIds: [`sha256:${'0'.repeat(64)}`] }),
      /layer digest mismatch/,
    ],
    [
      'a manifest naming a layer outside the archive',
      () => dockerSave([layerTar({ x: '1' })], ['bad:2'], { manifestLayers: ['../../../../etc/passwd'] }),
      /has no file/,
    ],
    [
      'an OCI blob whose bytes do not match its digest',
      () =>
        tarOf([
          { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
          { name: `blobs/sha256/${'e'.repeat(64)}`, data: '{}' },
          {
            name: 'index.json',
            data: JSON.stringify({
              manifests: [
                {
                  mediaType: 'application/vnd.oci.image.manifest.v1+json',
                  digest: `sha256:${'e'.repeat(64)}`,
                },
              ],
            }),
          },
        ]),
      /does not match its digest/,
    ],
    [
      'a config that is not JSON',
      () =>
        tarOf([
          { name: 'c.json', data: '{' },
          { name: 'manifest.json', data: '[{"Config":"c.json","Layers":[]}]' },
        ]),
      /not valid JSON/,
    ],
    ['a bad tag', () => dockerSave([layerTar({ x: '1' })], ['UPPER:1']), /must be lowercase/],
    [
      'a truncated archive',
      () => dockerSave([layerTar({ x: '1' })], ['bad:3']).subarray(0, 700),
      /unexpected end/,
    ],
  ])('refuses %s and keeps nothing of it', async (_what, archive, message) => {
    const before = (await api('GET', '/images/json')).json<unknown[]>().length;
    const blobs = readdirSync(join(engine.dataRoot, 'content/blobs/sha256')).sort();
    const snapshots = readdirSync(join(engine.dataRoot, 'snapshots')).sort();
    const res = await api('POST', '/images/load', archive());
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(message);
    expect((await api('GET', '/images/json')).json<unknown[]>()).toHaveLength(before);
    expect(readdirSync(join(engine.dataRoot, 'images/tmp'))).toEqual([]);
    expect(readdirSync(join(engine.dataRoot, 'content/blobs/sha256')).sort()).toEqual(blobs);
    expect(readdirSync(join(engine.dataRoot, 'snapshots')).sort()).toEqual(snapshots);
  });
});

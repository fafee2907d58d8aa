import { describe, expect, it } from 'vitest';
import type { LayerEntry } from '../../../../runtime/images/image-state.js';
import { buildManifest } from '../../../../runtime/registry/image-manifest.js';
import {
  hostPlatform,
  MAX_MANIFEST_BYTES,
  type ManifestIndex,
  type Platform,
  parseManifest,
  selectPlatform,
} from '../../../../runtime/registry/manifest.js';
import { isPullableLayer, MANIFEST_ACCEPT, MEDIA } from '../../../../runtime/registry/media-types.js';

const d = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const json = (o: unknown) => Buffer.from(JSON.stringify(o));
const entry = (platform: Platform, n: number) => ({
  mediaType: MEDIA.ociManifest,
  digest: d(n),
  size: 10,
  platform,
});

describe('manifests', () => {
  it('accepts all four manifest media types', () => {
    for (const t of [MEDIA.dockerManifest, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.ociIndex])
      expect(MANIFEST_ACCEPT).toContain(t);
  });

  it('parses a Docker schema 2 manifest', () => {
    const m = parseManifest(
      json({
        schemaVersion: 2,
        mediaType: MEDIA.dockerManifest,
        config: { mediaType: MEDIA.dockerConfig, digest: d(1), size: 5 },
        layers: [{ mediaType: MEDIA.dockerLayerGzip, digest: d(2), size: 7 }],
      }),
    );
    expect(m).toMatchObject({
      kind: 'manifest',
      mediaType: MEDIA.dockerManifest,
      layers: [{ digest: d(2) }],
    });
  });

  it('takes the media type from Content-Type or the shape when the document omits it', () => {
    const index = json({ schemaVersion: 2, manifests: [] });
    expect(parseManifest(index).mediaType).toBe(MEDIA.ociIndex);
    expect(parseManifest(index, `${MEDIA.dockerList}; charset=utf-8`).mediaType).toBe(MEDIA.dockerList);
  });

  it('refuses schema 1, bad descriptors, unknown types and oversized documents', () => {
    expect(() => parseManifest(json({ schemaVersion: 1 }))).toThrow(/schema 1 is not supported/);
    const bad = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: 'x', digest: 'md5:1', size: 1 },
      layers: [],
    };
    expect(() => parseManifest(json(bad))).toThrow('manifest config has an invalid or unsupported digest');
    expect(() => parseManifest(json({ schemaVersion: 2, mediaType: 'text/plain' }))).toThrow(
      /unsupported manifest media type/,
    );
    expect(() => parseManifest(Buffer.alloc(MAX_MANIFEST_BYTES + 1, 32))).toThrow(/larger than/);
    expect(() => parseManifest(Buffer.from('{'))).toThrow('manifest is not valid JSON');
  });

  it('knows which layers it can unpack', () => {
    expect(isPullableLayer(MEDIA.ociLayerZstd)).toBe(true);
    expect(isPullableLayer(MEDIA.dockerForeignLayer)).toBe(false);
  });
});

describe('platform selection', () => {
  const index: ManifestIndex = {
    kind: 'index',
    mediaType: MEDIA.ociIndex,
    manifests: [
      entry({ os: 'linux', architecture: 'arm', variant: 'v6' }, 1),
      entry({ os: 'linux', architecture: 'arm64', variant: 'v8' }, 2),
      entry({ os: 'linux', architecture: 'amd64' }, 3),
      entry({ os: 'unknown', architecture: 'unknown' }, 4),
    ],
  };

  it('chooses the host platform (linux/amd64 on x64)', () => {
    expect(hostPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(selectPlatform(index, hostPlatform('x64')).digest).toBe(d(3));
    expect(selectPlatform(index, hostPlatform('arm64')).digest).toBe(d(2));
  });

  it('refuses a list with no matching platform, naming what it offers', () => {
    expect(() => selectPlatform(index, { os: 'linux', architecture: 's390x' })).toThrow(
      'no matching manifest for linux/s390x in the manifest list entries (offered: linux/arm/v6, linux/arm64/v8, linux/amd64, unknown/unknown)',
    );
  });
});

describe('manifest building for push', () => {
  const layer = (mediaType: string, n: number): LayerEntry => ({
    chainId: d(n),
    diffId: d(n),
    size: 1,
    blob: d(n + 100),
    blobSize: 42,
    mediaType,
  });

  it('writes a Docker manifest of the kept blobs', () => {
    const built = buildManifest({ digest: d(9), size: 3 }, [layer(MEDIA.dockerLayerGzip, 1)]);
    expect(built.mediaType).toBe(MEDIA.dockerManifest);
    expect(JSON.parse(built.bytes.toString())).toEqual({
      schemaVersion: 2,
      mediaType: MEDIA.dockerManifest,
      config: { mediaType: MEDIA.dockerConfig, size: 3, digest: d(9) },
      layers: [{ mediaType: MEDIA.dockerLayerGzip, size: 42, digest: d(101) }],
    });
  });

  it('writes an OCI manifest when a layer is OCI-typed', () => {
    const built = buildManifest({ digest: d(9), size: 3 }, [layer(MEDIA.ociLayerZstd, 1)]);
    expect(built.mediaType).toBe(MEDIA.ociManifest);
    expect(JSON.parse(built.bytes.toString()).config.mediaType).toBe(MEDIA.ociConfig);
  });
});

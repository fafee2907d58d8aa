import { isDigest } from '../content/digest.js';
import { invalid } from '../errors.js';
import { MEDIA } from './media-types.js';

/** Largest manifest or index accepted (huge documents exhausted daemons' memory: CVE-2021-21285). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** A content descriptor (OCI image-spec descriptor.md). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  urls?: string[];
  annotations?: Record<string, string>;
}

/** An image platform as manifests list it. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An image manifest: one config, layers bottom first. */
export interface ImageManifest {
  kind: 'manifest';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** A manifest list or OCI index: one manifest per platform. */
export interface ManifestIndex {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
}

/**
 * Parses a manifest document. The media type comes from the document (OCI documents may omit
 * it; then from the response's Content-Type, then from its shape). Schema 1 is refused.
 */
export function parseManifest(bytes: Buffer, contentType?: string): ImageManifest | ManifestIndex {
  if (bytes.length > MAX_MANIFEST_BYTES) throw invalid(`manifest larger than ${MAX_MANIFEST_BYTES} bytes`);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid('manifest is not valid JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('manifest is not a JSON object');
  const header = contentType?.split(';')[0]?.trim();
  if (doc.schemaVersion === 1 || header?.startsWith(MEDIA.dockerSchema1.split('+')[0] as string)) {
    throw invalid(
      'Docker image manifest schema 1 is not supported: push the image again with a current client',
    );
  }
  if (doc.schemaVersion !== 2) throw invalid('manifest has no schemaVersion 2');
  const mediaType =
    typeof doc.mediaType === 'string'
      ? doc.mediaType
      : header && header !== 'application/json'
        ? header
        : Array.isArray(doc.manifests)
          ? MEDIA.ociIndex
          : MEDIA.ociManifest;
  if (mediaType === MEDIA.dockerList || mediaType === MEDIA.ociIndex) {
    if (!Array.isArray(doc.manifests)) throw invalid('manifest list has no manifests');
    return {
      kind: 'index',
      mediaType,
      manifests: doc.manifests.map((d, i) => descriptor(d, `manifests[${i}]`)),
    };
  }
  if (mediaType !== MEDIA.dockerManifest && mediaType !== MEDIA.ociManifest) {
    throw invalid(`unsupported manifest media type ${JSON.stringify(mediaType.slice(0, 200))}`);
  }
  if (!Array.isArray(doc.layers)) throw invalid('manifest has no layers');
  return {
    kind: 'manifest',
    mediaType,
    config: descriptor(doc.config, 'config'),
    layers: doc.layers.map((d, i) => descriptor(d, `layers[${i}]`)),
  };
}

function descriptor(value: unknown, where: string): Descriptor {
  const d = value as Partial<Descriptor> | null;
  if (!d || typeof d !== 'object') throw invalid(`manifest ${where} is not a descriptor`);
  if (typeof d.mediaType !== 'string') throw invalid(`manifest ${where} has no mediaType`);
  if (typeof d.digest !== 'string' || !isDigest(d.digest)) {
    throw invalid(`manifest ${where} has an invalid or unsupported digest`);
  }
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw invalid(`manifest ${where} has an invalid size`);
  }
  return d as Descriptor;
}

/** The platform this engine runs images for: linux and Node's architecture in Go's names. */
export function hostPlatform(arch: string = process.arch): Platform {
  const names: Record<string, Platform> = {
    x64: { os: 'linux', architecture: 'amd64' },
    arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
    ia32: { os: 'linux', architecture: '386' },
    ppc64: { os: 'linux', architecture: 'ppc64le' },
    s390x: { os: 'linux', architecture: 's390x' },
    riscv64: { os: 'linux', architecture: 'riscv64' },
  };
  return names[arch] ?? { os: 'linux', architecture: arch };
}

/**
 * The manifest of an index for a platform: os and architecture must match; a matching variant
 * is preferred, then one without variant. Attestations (`unknown/unknown`) never match.
 */
export function selectPlatform(index: ManifestIndex, want: Platform): Descriptor {
  const candidates = index.manifests.filter(
    (m) => m.platform?.os === want.os && m.platform?.architecture === want.architecture,
  );
  const exact = candidates.find((m) => (m.platform?.variant ?? '') === (want.variant ?? ''));
  const chosen = exact ?? candidates.find((m) => !m.platform?.variant) ?? candidates[0];
  if (!chosen) {
    const offered = index.manifests
      .map((m) => (m.platform ? platformName(m.platform) : 'unknown'))
      .join(', ');
    throw invalid(
      `no matching manifest for ${platformName(want)} in the manifest list entries (offered: ${offered || 'none'})`,
    );
  }
  return chosen;
}

/** `linux/arm64/v8`. */
export function platformName(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

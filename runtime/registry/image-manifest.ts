import type { LayerEntry } from '../images/image-state.js';
import { isOciMediaType, MEDIA } from './media-types.js';

/** A manifest document to push, with its media type. */
export interface BuiltManifest {
  mediaType: string;
  bytes: Buffer;
}

/**
 * The manifest of a local image: Docker schema 2, or an OCI manifest when any layer is of the
 * OCI family (a manifest never mixes the two). Layers bottom first, each its kept blob.
 */
export function buildManifest(
  config: { digest: string; size: number },
  layers: readonly LayerEntry[],
): BuiltManifest {
  const oci = layers.some((l) => isOciMediaType(l.mediaType));
  const mediaType = oci ? MEDIA.ociManifest : MEDIA.dockerManifest;
  const doc = {
    schemaVersion: 2,
    mediaType,
    config: {
      mediaType: oci ? MEDIA.ociConfig : MEDIA.dockerConfig,
      size: config.size,
      digest: config.digest,
    },
    layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.blobSize, digest: l.blob })),
  };
  // Docker indents manifests with three spaces; the bytes pushed are the bytes digested.
  return { mediaType, bytes: Buffer.from(JSON.stringify(doc, null, 3)) };
}

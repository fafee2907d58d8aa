import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { LayerEntry } from '../images/image-state.js';
import type { ImageStore } from '../images/image-store.js';
import { isOciMediaType, isUncompressedLayer, MEDIA } from './media-types.js';

/**
 * The layer as it is pushed: a layer that arrived uncompressed (import, commit, build) is
 * gzipped once and the compressed blob kept in its place, so every later push (and a pull of
 * it elsewhere) sees the same blob digest.
 */
export async function ensureCompressed(store: ImageStore, layer: LayerEntry): Promise<LayerEntry> {
  if (!isUncompressedLayer(layer.mediaType)) return layer;
  return store.adding(async () => {
    const gz = await store.blobs.write(Readable.from(store.blobs.open(layer.blob).pipe(createGzip())));
    const mediaType = isOciMediaType(layer.mediaType) ? MEDIA.ociLayerGzip : MEDIA.dockerLayerGzip;
    return store.mutate((state) => {
      const current = state.layers[layer.chainId];
      if (!current) return layer;
      // Another push may have compressed it meanwhile: the first compressed blob stays.
      if (!isUncompressedLayer(current.mediaType)) return current;
      const updated: LayerEntry = { ...current, blob: gz.digest, blobSize: gz.size, mediaType };
      state.layers[layer.chainId] = updated;
      return updated;
    });
  });
}

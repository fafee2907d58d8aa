import type { ImageDiskUsage } from '../contracts.js';

/**
 * The `/system/df` body in the Docker Engine API's shape. BuildCache is always empty: the
 * classic builder keeps its cache as ordinary images, which `Images` already counts.
 */
export function diskUsageBody(
  images: ImageDiskUsage | undefined,
  containers: Array<Record<string, unknown>>,
  volumes: ReadonlyArray<object>,
) {
  return {
    LayersSize: images?.layersSize ?? 0,
    Images: images?.images ?? [],
    Containers: containers,
    Volumes: volumes,
    BuildCache: [],
  };
}

import type { ImageDiskUsage } from '../contracts.js';
import { chainIds } from './chain-id.js';
import type { ImageState } from './image-state.js';
import { type ImageFacts, listEntry } from './image-views.js';

/**
 * The image side of `/system/df`, as dockerd computes it: a layer used by several images counts
 * once in `LayersSize` and towards each of those images' `SharedSize`.
 */
export function imageDiskUsage(
  state: Readonly<ImageState>,
  facts: (id: string) => ImageFacts,
  containersUsing: (id: string) => number,
): ImageDiskUsage {
  const images = Object.values(state.images);
  const users = new Map<string, number>();
  for (const image of images) {
    for (const chain of new Set(chainIds(image.diffIds))) users.set(chain, (users.get(chain) ?? 0) + 1);
  }
  const sizeOf = (chain: string) => state.layers[chain]?.contentSize ?? state.layers[chain]?.size ?? 0;
  let layersSize = 0;
  for (const chain of users.keys()) layersSize += sizeOf(chain);
  return {
    layersSize,
    images: images.map((image) => {
      const shared = [...new Set(chainIds(image.diffIds))]
        .filter((chain) => (users.get(chain) ?? 0) > 1)
        .reduce((sum, chain) => sum + sizeOf(chain), 0);
      return { ...listEntry(facts(image.id)), Containers: containersUsing(image.id), SharedSize: shared };
    }),
  };
}

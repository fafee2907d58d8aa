import { chainIds } from './chain-id.js';

/** A layer the store holds: unpacked once into the snapshot named by its chainID. */
export interface LayerEntry {
  chainId: string;
  diffId: string;
  parent?: string;
  /** Bytes of the uncompressed tar (what `docker save` writes as layer.tar). */
  size: number;
  /** What its files take (Docker's layer size: file sizes and link lengths). */
  contentSize?: number;
  /** The blob as it arrived (compressed or not), kept so saves and pushes reproduce it exactly. */
  blob: string;
  blobSize: number;
  mediaType: string;
}

/** An image: its config is the blob whose digest is the ID. */
export interface ImageEntry {
  id: string;
  diffIds: string[];
  /** When the store got it (ms), for `LastTagTime`-like ordering and `since`/`before`. */
  added: number;
  /** The image it was committed on top of (Docker's `Parent`). */
  parent?: string;
  /** When a name was last given to it here (ms), Docker's `Metadata.LastTagTime`. */
  tagged?: number;
}

/** Everything the image store persists, in one atomically written file. */
export interface ImageState {
  images: Record<string, ImageEntry>;
  layers: Record<string, LayerEntry>;
  /** Normalized reference (`docker.io/library/busybox:latest`) → image ID. */
  refs: Record<string, string>;
}

export const emptyState = (): ImageState => ({ images: {}, layers: {}, refs: {} });

/** The chainIDs every image needs (each image holds its whole stack). */
export function referencedChains(state: ImageState): Set<string> {
  const out = new Set<string>();
  for (const image of Object.values(state.images)) for (const c of chainIds(image.diffIds)) out.add(c);
  return out;
}

/** Layers no image needs, topmost first (children before parents, so removal never orphans). */
export function unreferencedLayers(state: ImageState, keep: ReadonlySet<string> = new Set()): LayerEntry[] {
  const used = referencedChains(state);
  const depth = (l: LayerEntry): number => {
    let d = 0;
    for (let p = l.parent; p && state.layers[p]; p = state.layers[p]?.parent) d++;
    return d;
  };
  return Object.values(state.layers)
    .filter((l) => !used.has(l.chainId) && !keep.has(l.chainId))
    .sort((a, b) => depth(b) - depth(a));
}

/** Blobs still needed: image configs and layer blobs. */
export function referencedBlobs(state: ImageState): Set<string> {
  const out = new Set<string>(Object.keys(state.images));
  for (const l of Object.values(state.layers)) out.add(l.blob);
  return out;
}

/** The references pointing at an image, sorted. */
export function refsOf(state: ImageState, id: string): string[] {
  return Object.entries(state.refs)
    .filter(([, target]) => target === id)
    .map(([key]) => key)
    .sort();
}

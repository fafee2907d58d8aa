import type { ImageConfigFile } from '../contracts.js';

/** An image named in `cachefrom`, as the classic builder reads it: its config with history. */
export interface CacheSource {
  id: string;
  config: ImageConfigFile;
}

/** A step a cache source can stand in for. */
export interface CacheFromHit {
  source: CacheSource;
  /** The source's history entry for the step. */
  index: number;
  /** The source itself is the step's image (the step is its last): reuse its ID as is. */
  whole: boolean;
  /** The layer the step added (undefined for an empty-layer step). */
  diffId?: string;
}

type History = NonNullable<ImageConfigFile['history']>[number];

/** Deep equality of two history entries, whatever order their keys were written in. */
function sameEntry(a: History, b: History | undefined): boolean {
  if (!b) return false;
  const canon = (h: History) =>
    JSON.stringify(
      Object.fromEntries(
        Object.entries(h)
          .filter(([, v]) => v !== undefined && v !== false)
          .sort(),
      ),
    );
  return canon(a) === canon(b);
}

/**
 * True when `parent` (undefined: scratch) is an ancestor of `source` as the classic builder
 * sees it: `source`'s history and layers begin with exactly `parent`'s.
 */
export function descendsFrom(source: ImageConfigFile, parent: ImageConfigFile | undefined): boolean {
  const history = source.history ?? [];
  if (history.length === 0) return false;
  const parentHistory = parent?.history ?? [];
  const parentLayers = parent?.rootfs.diff_ids ?? [];
  if (parentHistory.length === 0 && parentLayers.length === 0) return true;
  if (parentHistory.length >= history.length || parentLayers.length > source.rootfs.diff_ids.length)
    return false;
  return (
    parentHistory.every((h, i) => sameEntry(h, history[i])) &&
    parentLayers.every((d, i) => d === source.rootfs.diff_ids[i])
  );
}

/**
 * The classic builder's `--cache-from` rule: a step on `parent` is found in a source image when
 * the source descends from `parent` and its next history entry was made by the same command
 * (`created_by`, which for COPY/ADD includes the sources' digest). Pure.
 */
export function findCacheFrom(
  sources: readonly CacheSource[],
  parent: ImageConfigFile | undefined,
  createdBy: string,
): CacheFromHit | undefined {
  const index = parent?.history?.length ?? 0;
  for (const source of sources) {
    const history = source.config.history ?? [];
    if (!descendsFrom(source.config, parent) || history[index]?.created_by !== createdBy) continue;
    const entry = history[index] as History;
    const whole = history.length - 1 === index;
    if (entry.empty_layer) return { source, index, whole };
    // The entry's layer: one per non-empty history entry before it.
    const layer = history.slice(0, index).filter((h) => !h.empty_layer).length;
    if (layer !== (parent?.rootfs.diff_ids.length ?? 0)) continue;
    const diffId = source.config.rootfs.diff_ids[layer];
    if (diffId) return { source, index, whole, diffId };
  }
  return undefined;
}

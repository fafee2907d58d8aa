import type { ImageProvider } from '../contracts.js';
import type { ContainerRecord } from './container-record.js';

/** The image subsystem's optional measure of a container's layers (ImageService has it). */
export interface ContainerSizer {
  containerSizes?(containerId: string, imageId: string): Promise<{ SizeRw: number; SizeRootFs: number }>;
}

/** What containers use from images, with the optional measure and the list of writable layers. */
export type SizedImageProvider = ImageProvider &
  ContainerSizer & {
    /** IDs of containers that have a writable layer (ImageService has it). */
    rootfsOwners?(): string[];
  };

/** How many containers (running or not) mount each named volume, for `/system/df` `RefCount`. */
export function volumeRefCounts(containers: readonly ContainerRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of containers) {
    // A container mounting one volume at two paths still counts once, as Docker's does.
    const names = new Set(c.MountPoints.flatMap((m) => (m.Type === 'volume' && m.Name ? [m.Name] : [])));
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/**
 * Adds `SizeRw` and `SizeRootFs` to list entries (`/containers/json?size=1`, `/system/df`);
 * without a sizer the entries are returned as they are. Entries and containers pair by index.
 */
export async function withSizes(
  entries: Array<Record<string, unknown>>,
  containers: readonly ContainerRecord[],
  sizer: ContainerSizer,
): Promise<Array<Record<string, unknown>>> {
  if (!sizer.containerSizes) return entries;
  const out: Array<Record<string, unknown>> = [];
  for (const [i, entry] of entries.entries()) {
    const c = containers[i];
    // Measured one at a time: walking many writable layers at once would compete for the disk.
    const sizes = c ? await sizer.containerSizes(c.Id, c.Image) : { SizeRw: 0, SizeRootFs: 0 };
    out.push({ ...entry, ...sizes });
  }
  return out;
}

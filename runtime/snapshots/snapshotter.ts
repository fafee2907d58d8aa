import type { Readable } from 'node:stream';
import type { Mount } from '../host/host.js';

/** A snapshot as the store records it. */
export interface SnapshotInfo {
  key: string;
  parent?: string;
  /** `active` snapshots are writable (containers, layers being unpacked); `committed` ones are layers. */
  kind: 'active' | 'committed';
  created: number;
}

/**
 * Layered filesystems, after containerd's snapshotter model: committed snapshots are unpacked
 * layers keyed by chainID and shared by everything above them; active snapshots are writable
 * (a container's layer, or a layer being unpacked before it is committed).
 */
export interface Snapshotter {
  /** The storage driver name `docker info` and image inspect show (`overlay2`, `vfs`). */
  readonly driver: string;
  /**
   * How layers are unpacked into `upperDir`: `overlay`, into an empty directory with overlayfs
   * whiteouts; `apply`, into a full copy of the parent, whiteouts deleting from it.
   */
  readonly whiteouts: 'overlay' | 'apply';
  /** Loads state and removes what a crash left half-made. */
  init(): Promise<void>;
  /** Creates an active snapshot above `parent` (committed); returns mounts onto `target`. */
  prepare(key: string, parent: string | undefined, target: string): Promise<Mount[]>;
  /** Mounts of an existing snapshot onto `target`; `readonly` gives a view that cannot change it. */
  mounts(key: string, target: string, readonly?: boolean): Mount[];
  /** The directory a layer is unpacked into: the snapshot's own changes (overlay) or its whole tree (copy). */
  upperDir(key: string): string;
  /** The changes of the active snapshot `key` against its parent, as a layer tar (`.wh.` whiteouts). */
  diff(key: string): Readable;
  /** Turns the active snapshot `key` into the committed snapshot `name`. */
  commit(name: string, key: string): Promise<void>;
  /** Removes a snapshot (unmounting what is mounted below its directory); refuses while it has children. */
  remove(key: string): Promise<void>;
  get(key: string): SnapshotInfo | undefined;
  list(): SnapshotInfo[];
  /** A directory inside the snapshot area for a mount point (same filesystem, cleaned with it). */
  mountPoint(key: string): string;
}

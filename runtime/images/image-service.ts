import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type { Route } from '../api/route.js';
import { tarDirectory } from '../archive/dir-tar.js';
import { BlobStore } from '../content/blob-store.js';
import type { EngineContext } from '../context.js';
import type {
  ContainerImageConfig,
  ContainerRegistry,
  ImageDiskUsage,
  ImageProvider,
  ImageRecord,
  Subsystem,
} from '../contracts.js';
import { internal, notFound } from '../errors.js';
import type { Mount } from '../host/host.js';
import { openSnapshotter } from '../snapshots/open-snapshotter.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { treeSize } from '../volumes/volume-store.js';
import { chainIds } from './chain-id.js';
import { commitContainer } from './commit.js';
import { ImageStore } from './image-store.js';
import { imageDiskUsage } from './image-usage.js';
import { imageSize } from './image-views.js';
import { imageRoutes } from './routes.js';

/** What the image subsystem is built with. */
export interface ImageServiceDeps {
  containers: ContainerRegistry;
  /** Another snapshotter (tests); by default the data root's own (see openSnapshotter). */
  snapshotter?: Snapshotter;
}

/** The snapshot key of a container's writable layer. */
export const containerSnapshotKey = (containerId: string) => `container-${containerId}`;

/**
 * The image subsystem: content store, image store, snapshots, and the `/images` endpoints.
 * Implements {@link ImageProvider} for containers (rootfs mounts, commit, export).
 */
export class ImageService implements Subsystem, ImageProvider {
  private opened?: ImageStore;

  constructor(
    readonly ctx: EngineContext,
    readonly deps: ImageServiceDeps,
  ) {}

  /** The store (after {@link init}). */
  get store(): ImageStore {
    if (!this.opened) throw internal('the image store is not initialized');
    return this.opened;
  }

  async init(): Promise<void> {
    await this.dropExportViews();
    const snapshots =
      this.deps.snapshotter ?? (await openSnapshotter(this.ctx, join(this.ctx.dataRoot, 'snapshots')));
    const blobs = new BlobStore(join(this.ctx.dataRoot, 'content'));
    const store = new ImageStore(this.ctx, blobs, snapshots, join(this.ctx.dataRoot, 'images'));
    await blobs.init();
    await snapshots.init();
    await store.init();
    this.opened = store;
  }

  /** Export views a killed engine left mounted (`<snapshot>/export-*`) are unmounted and removed. */
  private async dropExportViews(): Promise<void> {
    const root = join(this.ctx.dataRoot, 'snapshots');
    for (const target of await this.ctx.host.mountsUnder(root)) {
      if (/\/export-[0-9a-f]+$/.test(target)) await this.ctx.host.unmount(target, { detach: true });
    }
    const dirs = await readdir(root).catch(() => [] as string[]);
    for (const dir of dirs) {
      const names = await readdir(join(root, dir)).catch(() => [] as string[]);
      for (const name of names)
        if (/^export-[0-9a-f]+$/.test(name)) await rmdir(join(root, dir, name)).catch(() => undefined);
    }
  }

  routes(): Route[] {
    return imageRoutes(this);
  }

  async shutdown(): Promise<void> {}

  count(): number {
    return this.opened?.count() ?? 0;
  }

  storageDriver(): string {
    return this.opened?.snapshots.driver ?? 'overlay2';
  }

  usage(): ImageDiskUsage {
    const store = this.store;
    const state = store.snapshot;
    const users = this.deps.containers;
    return imageDiskUsage(
      state,
      (id) => ({ entry: store.entry(id), config: store.config(id), state }),
      (id) => users.imageUsers?.(id).length ?? (users.imagesInUse().has(id) ? 1 : 0),
    );
  }

  async resolve(ref: string): Promise<ImageRecord> {
    return this.store.record(this.store.resolveId(ref));
  }

  /** Idempotent: a container whose layer exists gets the same mounts again. */
  async prepareRootfs(containerId: string, imageId: string): Promise<Mount[]> {
    const key = containerSnapshotKey(containerId);
    const snapshots = this.store.snapshots;
    if (!snapshots.get(key)) {
      const parent = chainIds(this.store.entry(this.store.resolveId(imageId)).diffIds).pop();
      await snapshots.prepare(key, parent, '');
    }
    return snapshots.mounts(key, snapshots.mountPoint(key));
  }

  /**
   * `SizeRw` (bytes of files in the container's writable layer) and `SizeRootFs` (those plus the
   * image's layers), as `/containers/json?size=1` and `/system/df` report them.
   */
  async containerSizes(
    containerId: string,
    imageId: string,
  ): Promise<{ SizeRw: number; SizeRootFs: number }> {
    const key = containerSnapshotKey(containerId);
    const snapshots = this.store.snapshots;
    const rw = snapshots.get(key) ? await treeSize(snapshots.upperDir(key)) : 0;
    const id = this.store.snapshot.images[imageId] ? imageId : undefined;
    const image = id
      ? imageSize({ entry: this.store.entry(id), config: this.store.config(id), state: this.store.snapshot })
      : 0;
    return { SizeRw: rw, SizeRootFs: rw + image };
  }

  /** IDs of the containers that have a writable layer (for the sweep of layers a crash orphaned). */
  rootfsOwners(): string[] {
    const prefix = containerSnapshotKey('');
    return this.store.snapshots
      .list()
      .filter((s) => s.key.startsWith(prefix))
      .map((s) => s.key.slice(prefix.length));
  }

  async removeRootfs(containerId: string): Promise<void> {
    await this.store.snapshots.remove(containerSnapshotKey(containerId));
    await this.store.collect();
  }

  commit(
    containerId: string,
    parentImageId: string,
    config: ContainerImageConfig,
    options: { reference?: string; comment?: string; author?: string },
  ): Promise<ImageRecord> {
    return commitContainer(
      this,
      containerSnapshotKey(containerId),
      containerId,
      parentImageId,
      config,
      options,
    );
  }

  /** Mounts a read-only view of the container's filesystem privately, tars it, unmounts at the end. */
  async exportRootfs(containerId: string): Promise<Readable> {
    const key = containerSnapshotKey(containerId);
    const snapshots = this.store.snapshots;
    if (!snapshots.get(key)) {
      // A container that never started has no layer yet: its filesystem is its image's.
      const image = Object.keys(this.store.snapshot.images).find((id) =>
        this.deps.containers.imageUsers?.(id).some((u) => u.id === containerId),
      );
      if (!image) throw notFound(`No such container: ${containerId}`);
      await this.prepareRootfs(containerId, image);
    }
    const target = join(dirname(snapshots.mountPoint(key)), `export-${randomBytes(6).toString('hex')}`);
    await mkdir(target, { mode: 0o700 });
    const mounted: string[] = [];
    const release = async () => {
      for (const t of mounted.splice(0).reverse()) await this.ctx.host.unmount(t, { detach: true });
      await rmdir(target).catch(() => undefined);
    };
    try {
      for (const m of snapshots.mounts(key, target, true)) {
        await this.ctx.host.mount(m);
        mounted.push(m.target);
      }
    } catch (err) {
      await release();
      throw err;
    }
    // The body ends only once the view is unmounted, so a client that saw the whole export
    // never finds a mount of it left behind; a client that goes away releases it too.
    const tar = tarDirectory(target);
    const body = new PassThrough();
    let released: Promise<void> | undefined;
    const releaseOnce = () => {
      released ??= release().catch((err) =>
        this.ctx.log('warn', 'export unmount failed', { error: String(err) }),
      );
      return released;
    };
    tar.pipe(body, { end: false });
    tar.on('end', () => void releaseOnce().then(() => body.end()));
    tar.on('error', (err) => void releaseOnce().then(() => body.destroy(err)));
    body.on('close', () => {
      tar.destroy();
      void releaseOnce();
    });
    return body;
  }
}

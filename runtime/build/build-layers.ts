import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { EngineContext } from '../context.js';
import type { ContainerImageConfig, ImageConfigFile } from '../contracts.js';
import { internal } from '../errors.js';
import { chainIds } from '../images/chain-id.js';
import { EMPTY_LAYER_DIFF_ID } from '../images/commit.js';
import { configBytes, ociArchitecture } from '../images/image-config.js';
import type { ImageStore } from '../images/image-store.js';
import type { CacheFromHit } from './cache-from.js';

/** Snapshot keys of the builder's own working layers (removed at start if a crash left them). */
export const BUILD_SNAPSHOT_PREFIX = 'build-';

/** The image a stage starts from: a stored image, or nothing (`FROM scratch`). */
export interface BaseImage {
  id?: string;
  config: ImageConfigFile;
}

/** The config of `FROM scratch`. */
export function scratchConfig(now: number): ImageConfigFile {
  return {
    architecture: ociArchitecture(),
    os: 'linux',
    created: new Date(now).toISOString(),
    config: {},
    rootfs: { type: 'layers', diff_ids: [] },
    history: [],
  };
}

/**
 * Layers and images a build makes, composed from the image store's public pieces: a writable
 * snapshot above an image mounted for COPY/ADD, read-only views for `COPY --from`, and commits
 * of a snapshot's diff (whiteouts included) as a layer with a history entry.
 */
export class BuildLayers {
  constructor(
    private readonly ctx: EngineContext,
    private readonly store: () => ImageStore,
  ) {}

  private parentChain(imageId: string | undefined): string | undefined {
    return imageId ? chainIds(this.store().entry(imageId).diffIds).pop() : undefined;
  }

  /**
   * Mounts a new writable snapshot above `imageId`, runs `work` on its root, unmounts. Returns
   * the snapshot key (commit it with {@link commit}, or {@link drop} it); on failure it is dropped.
   */
  async writable(imageId: string | undefined, work: (root: string) => Promise<void>): Promise<string> {
    const key = `${BUILD_SNAPSHOT_PREFIX}${randomBytes(8).toString('hex')}`;
    try {
      await this.mounted(key, this.parentChain(imageId), false, work);
      return key;
    } catch (err) {
      await this.drop(key);
      throw err;
    }
  }

  /** Runs `work` on a read-only view of an image's filesystem (`COPY --from`). */
  async readonly<T>(imageId: string, work: (root: string) => Promise<T>): Promise<T> {
    const key = `${BUILD_SNAPSHOT_PREFIX}${randomBytes(8).toString('hex')}`;
    try {
      return await this.mounted(key, this.parentChain(imageId), true, work);
    } finally {
      await this.drop(key);
    }
  }

  private async mounted<T>(
    key: string,
    parent: string | undefined,
    readonly: boolean,
    work: (root: string) => Promise<T>,
  ): Promise<T> {
    const snapshots = this.store().snapshots;
    await snapshots.prepare(key, parent, '');
    const target = snapshots.mountPoint(key);
    await mkdir(target, { recursive: true, mode: 0o755 });
    const mounted: string[] = [];
    try {
      for (const m of snapshots.mounts(key, target, readonly)) {
        await this.ctx.host.mount(m);
        mounted.push(m.target);
      }
      return await work(target);
    } finally {
      for (const t of mounted.reverse()) await this.ctx.host.unmount(t, { detach: true });
    }
  }

  /** Removes a working snapshot. Idempotent. */
  async drop(key: string): Promise<void> {
    await this.store()
      .snapshots.remove(key)
      .catch((err) => this.ctx.log('warn', 'build snapshot removal failed', { key, error: String(err) }));
  }

  /**
   * Stores the image of a step found in a `cachefrom` source (not its last): `base` plus the
   * source's history entry and layer for the step, with the step's config (the classic builder's
   * restored cache image). The layer is already in the store: the source image holds it.
   */
  async restore(base: BaseImage, hit: CacheFromHit, runConfig: ContainerImageConfig): Promise<string> {
    const store = this.store();
    const entry = hit.source.config.history?.[hit.index] ?? {};
    const layer = hit.diffId ? store.layers.get(this.parentChain(base.id), hit.diffId) : undefined;
    if (hit.diffId && !layer) throw internal(`cache source ${hit.source.id} lost its layer ${hit.diffId}`);
    const config: ImageConfigFile = {
      ...base.config,
      created: entry.created ?? new Date(this.ctx.now()).toISOString(),
      config: { ...runConfig, Image: base.id ?? '' } as ContainerImageConfig,
      rootfs: {
        type: 'layers',
        diff_ids: layer ? [...base.config.rootfs.diff_ids, layer.diffId] : base.config.rootfs.diff_ids,
      },
      history: [...(base.config.history ?? []), entry],
    };
    delete config.container;
    delete config.container_config;
    return store.adding(() => store.addImage(configBytes(config), layer ? [layer] : [], base.id));
  }

  /**
   * Stores the image of one build step: the parent's config with `runConfig`, the diff of
   * `snapshotKey` as a new layer (none when undefined or empty), and a history entry.
   */
  async commit(
    base: BaseImage,
    snapshotKey: string | undefined,
    runConfig: ContainerImageConfig,
    createdBy: string,
    author?: string,
  ): Promise<string> {
    const store = this.store();
    return store.adding(async () => {
      let layer: Awaited<ReturnType<ImageStore['layers']['ensure']>> | undefined;
      if (snapshotKey) {
        const blob = await store.blobs.write(store.snapshots.diff(snapshotKey));
        if (blob.digest !== EMPTY_LAYER_DIFF_ID) {
          layer = await store.layers.ensure(
            this.parentChain(base.id),
            { blob: blob.digest },
            { diffId: blob.digest },
          );
        }
      }
      const created = new Date(this.ctx.now()).toISOString();
      const config: ImageConfigFile = {
        ...base.config,
        created,
        // Docker's classic builder records the image each step ran on as `Image`.
        config: { ...runConfig, Image: base.id ?? '' } as ContainerImageConfig,
        rootfs: {
          type: 'layers',
          diff_ids: layer ? [...base.config.rootfs.diff_ids, layer.diffId] : base.config.rootfs.diff_ids,
        },
        history: [
          ...(base.config.history ?? []),
          { created, created_by: createdBy, ...(layer ? {} : { empty_layer: true }) },
        ],
      };
      delete config.container;
      delete config.container_config;
      if (author !== undefined) config.author = author;
      return store.addImage(configBytes(config), layer ? [layer] : [], base.id);
    });
  }
}

import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Route } from '../api/route.js';
import type { ContainerService } from '../containers/container-service.js';
import type { EngineContext } from '../context.js';
import type { Subsystem } from '../contracts.js';
import type { ImageService } from '../images/image-service.js';
import { BuildCache } from './build-cache.js';
import { BUILD_SNAPSHOT_PREFIX, BuildLayers } from './build-layers.js';
import { buildRoutes } from './build-routes.js';
import type { BuildDeps, PullImage } from './build-state.js';
import { BUILD_CONTAINER_LABEL } from './run-step.js';

/** What the builder is made of. */
export interface BuildServiceDeps {
  images: ImageService;
  /** Pulls base images (the registry client); without it builds use local images only. */
  pull?: PullImage;
  /** Late-bound: containers are wired after images. */
  containers: () => ContainerService | undefined;
}

/**
 * The builder: `POST /build` (Dockerfile builds, classic builder output, layer cache) and
 * `POST /build/prune`. Builds run steps through the image store and the container subsystem.
 */
export class BuildService implements Subsystem {
  readonly cache: BuildCache;
  readonly deps: BuildDeps;
  private readonly root: string;

  constructor(
    readonly ctx: EngineContext,
    services: BuildServiceDeps,
  ) {
    this.root = join(ctx.dataRoot, 'build');
    this.cache = new BuildCache(this.root);
    const store = () => services.images.store;
    this.deps = {
      ctx,
      store,
      resolve: (ref) => services.images.resolve(ref),
      pull: services.pull,
      containers: services.containers,
      layers: new BuildLayers(ctx, store),
      cache: this.cache,
    };
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await rm(this.tmpRoot(), { recursive: true, force: true });
    await this.cache.init();
    // Entries whose image was deleted while the engine was down are forgotten.
    const images = this.deps.store().snapshot.images;
    await this.cache.prune(false, (id) => images[id] !== undefined);
    // Build containers and working snapshots a killed build left behind go now.
    const containers = this.deps.containers();
    for (const c of containers?.store.all() ?? []) {
      if (c.Config.Labels?.[BUILD_CONTAINER_LABEL] === 'true') {
        await containers
          ?.remove(c.Id, true, true)
          .catch((err) =>
            this.ctx.log('warn', 'stale build container removal failed', { id: c.Id, error: String(err) }),
          );
      }
    }
    // Working snapshots a killed build left behind go now (their mounts went with the engine's).
    const snapshots = this.deps.store().snapshots;
    for (const s of snapshots.list()) {
      if (s.key.startsWith(BUILD_SNAPSHOT_PREFIX)) {
        for (const t of await this.ctx.host.mountsUnder(snapshots.mountPoint(s.key))) {
          await this.ctx.host.unmount(t, { detach: true });
        }
        await snapshots.remove(s.key).catch(() => undefined);
      }
    }
  }

  routes(): Route[] {
    return buildRoutes(this);
  }

  async shutdown(): Promise<void> {}

  private tmpRoot(): string {
    return join(this.root, 'tmp');
  }

  /** A fresh directory for one build's context, removed by the caller. */
  async contextDir(): Promise<string> {
    const dir = join(this.tmpRoot(), randomBytes(8).toString('hex'));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }
}

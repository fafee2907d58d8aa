import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Route } from '../api/route.js';
import type { EngineContext } from '../context.js';
import type {
  ContainerNetworkView,
  ContainerRegistry,
  NetworkProvider,
  Subsystem,
  VolumeProvider,
} from '../contracts.js';
import { conflict, invalid } from '../errors.js';
import { ExecService } from '../exec/exec-service.js';
import { logSizeMax } from '../logs/log-options.js';
import { RuntimeCli } from '../oci/runtime-cli.js';
import { HealthMonitor } from '../supervisor/health-monitor.js';
import type { CreateRequest } from './api-types.js';
import type { ContainerRecord } from './container-record.js';
import { eventAttributes } from './container-record.js';
import { containerRoutes } from './container-routes.js';
import { ContainerRunner } from './container-runner.js';
import { ContainerStore } from './container-store.js';
import { planCreate } from './create-container.js';
import { type SizedImageProvider, volumeRefCounts, withSizes } from './disk-usage.js';
import { inspectView, listView, minimalNetworkSettings } from './inspect-view.js';
import { Lifecycle } from './lifecycle.js';
import { canonicalName, generateName } from './names.js';
import { networkView as networkViewOf } from './network-view.js';
import { recoverContainers } from './recovery.js';
import { traceEvents, traceRun, traceRunEnd } from './run-trace.js';
import { canRemove } from './state-machine.js';

/** What the container subsystem uses from the others (networks is late-bound: it references us too). */
export interface ContainerDeps {
  images: SizedImageProvider;
  volumes: VolumeProvider;
  networks?: NetworkProvider | (() => NetworkProvider | undefined);
}

/** Where a static init for `--init` may be installed (Debian: tini-static; docker.io: docker-init). */
const INIT_CANDIDATES = ['/usr/bin/tini-static', '/usr/bin/docker-init', '/usr/libexec/docker/docker-init'];

/**
 * Containers: records, lifecycle through conmon and the OCI runtime, exec, logs and health;
 * serves `/containers/*`, `/exec/*` and `/commit`, and is the engine's ContainerRegistry.
 */
export class ContainerService implements Subsystem, ContainerRegistry {
  readonly store: ContainerStore;
  readonly runner: ContainerRunner;
  readonly lifecycle: Lifecycle;
  readonly runtime: RuntimeCli;
  readonly exec: ExecService;
  readonly health: HealthMonitor;

  constructor(
    readonly ctx: EngineContext,
    readonly deps: ContainerDeps,
  ) {
    const runtimePath = ctx.options.ociRuntime ?? 'crun';
    this.store = new ContainerStore(ctx.dataRoot);
    this.runtime = new RuntimeCli(ctx.host, runtimePath, join(ctx.runRoot, 'oci'));
    this.runner = new ContainerRunner(ctx, {
      images: deps.images,
      volumes: deps.volumes,
      networks: () => this.networks(),
      runtime: this.runtime,
      conmonPath: 'conmon',
      initPath: INIT_CANDIDATES.find((p) => existsSync(p)),
      logSizeMax,
    });
    this.exec = new ExecService(ctx, this);
    this.health = new HealthMonitor(ctx, this);
    this.lifecycle = new Lifecycle(ctx, this.store, this.runner, this.runtime, {
      started: (c) => this.health.started(c),
      exited: (c) => this.health.stopped(c.Id),
      hasHealthcheck: (c) => this.health.hasCheck(c),
    });
    traceEvents(ctx.events);
    this.lifecycle.autoRemove = (c) =>
      void this.attachDrained(c.Id)
        .then(() => this.remove(c.Id, true, true))
        .catch((err) => ctx.log('warn', 'auto-remove failed', { id: c.Id, error: String(err) }));
  }

  networks(): NetworkProvider | undefined {
    const n = this.deps.networks;
    return typeof n === 'function' ? n() : n;
  }

  async init(): Promise<void> {
    await mkdir(join(this.ctx.dataRoot, 'containers'), { recursive: true, mode: 0o700 });
    await mkdir(this.runtime.root, { recursive: true, mode: 0o700 });
    await recoverContainers(this);
  }

  routes(): Route[] {
    return [...containerRoutes(this), ...this.exec.routes()];
  }

  async shutdown(): Promise<void> {
    this.lifecycle.shutdown();
    this.health.shutdown();
    this.exec.shutdown();
    await Promise.allSettled([...this.removals]);
  }

  /** Files and writable layers of removed containers still being deleted (shutdown waits for them). */
  private readonly removals = new Set<Promise<void>>();

  /** Runs the tail of a removal in the background, tracked so shutdown waits for it. */
  private inBackground(id: string, what: string, work: Promise<void>): void {
    const removal: Promise<void> = work
      .catch((err) => this.ctx.log('warn', `${what} failed`, { id, error: String(err) }))
      .finally(() => this.removals.delete(removal));
    this.removals.add(removal);
  }

  /**
   * Deletes a removed container's writable layer in the background: the removal is answered as
   * soon as the record is gone, and a layer a crash leaves behind is swept by recovery.
   */
  dropRootfs(id: string): void {
    this.inBackground(id, 'writable layer removal', this.deps.images.removeRootfs(id));
  }

  private readonly attachments = new Map<string, Set<Promise<void>>>();

  /** Remembers an attach stream still draining, so auto-removal waits for the client to get every line. */
  trackAttach(id: string, drained: Promise<void>): void {
    const set = this.attachments.get(id) ?? new Set();
    set.add(drained);
    this.attachments.set(id, set);
    void drained.finally(() => {
      set.delete(drained);
      if (set.size === 0) this.attachments.delete(id);
    });
  }

  /** Waits (bounded) for attach streams of a container to drain. */
  async attachDrained(id: string): Promise<void> {
    const set = this.attachments.get(id);
    if (!set?.size) return;
    await Promise.race([Promise.allSettled([...set]), new Promise((r) => setTimeout(r, 5000))]);
  }

  /** `POST /containers/create`. */
  async create(
    body: CreateRequest,
    requestedName: string | null,
  ): Promise<{ Id: string; Warnings: string[] }> {
    if (!body.Image) throw invalid('Config cannot be empty in order to create a container');
    const id = randomBytes(32).toString('hex');
    traceRun(id, 'create: request');
    const image = await this.deps.images.resolve(body.Image);
    const name = requestedName ? canonicalName(requestedName) : generateName((n) => this.store.nameTaken(n));
    if (this.store.nameTaken(name)) {
      throw conflict(
        `Conflict. The container name "${name}" is already in use by container "${this.store.lookup(name)}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    const { record, warnings } = planCreate(body, image, id, name, new Date(this.ctx.now()).toISOString());
    record.LogPath = this.runner.paths(id).log;
    // The writable layer exists from create on (Docker's): export, commit and cp work before a start.
    await this.deps.images.prepareRootfs(id, image.id);
    traceRun(id, 'create: writable layer');
    try {
      record.MountPoints = await this.runner.createMounts(record, () => randomBytes(32).toString('hex'));
      await this.store.add(record);
      traceRun(id, 'create: record stored');
    } catch (err) {
      await this.deps.images.removeRootfs(id).catch(() => undefined);
      throw err;
    }
    this.ctx.events.emit('container', 'create', id, eventAttributes(record));
    return { Id: id, Warnings: warnings };
  }

  /** `DELETE /containers/{id}`: `force` kills a running container; `v` removes its anonymous volumes. */
  async remove(ref: string, force: boolean, volumes: boolean): Promise<void> {
    const c = this.store.get(ref);
    await this.lifecycle.withLock(c.Id, async () => {
      canRemove(c.State.Status, c.Id, force);
      if (c.State.Status === 'running' || c.State.Status === 'paused') {
        await this.lifecycle.killAndWait(c);
      }
      this.lifecycle.cancelRestart(c);
      this.lifecycle.unwatch(c.Id);
      this.health.stopped(c.Id);
      c.State.Status = 'removing';
      // The mark lets recovery finish a removal a crash interrupted; an exited AutoRemove container
      // is removed by recovery anyway, so its auto-removal skips the write.
      if (!c.HostConfig.AutoRemove) await this.store.save(c);
      traceRun(c.Id, 'remove: marked');
      await this.runner.cleanup(c);
      traceRun(c.Id, 'remove: cleaned');
      // Gone from the API's view (its name free) at once; its files go in the background.
      this.store.forget(c);
      this.inBackground(c.Id, 'container files removal', this.store.deleteFiles(c));
      this.dropRootfs(c.Id);
      this.runner.forget(c.Id);
      this.exec.forget(c.Id);
      if (volumes) {
        for (const m of c.MountPoints) {
          if (m.Type === 'volume' && m.Anonymous && m.Name && !this.volumesInUse().has(m.Name)) {
            await this.deps.volumes.remove(m.Name, true).catch((err) =>
              this.ctx.log('warn', 'anonymous volume removal failed', {
                volume: m.Name,
                error: String(err),
              }),
            );
          }
        }
      }
      this.ctx.events.emit('container', 'destroy', c.Id, eventAttributes(c));
      this.lifecycle.waiters.removed(c);
      traceRunEnd(c.Id, 'remove: answered');
    });
  }

  /** `POST /containers/{id}/rename?name=`. */
  async rename(ref: string, newName: string): Promise<void> {
    const c = this.store.get(ref);
    const name = canonicalName(newName);
    if (name === c.Name) throw invalid('Renaming a container with the same name as its current name');
    const oldName = c.Name.slice(1);
    await this.store.rename(c, name);
    this.ctx.events.emit('container', 'rename', c.Id, eventAttributes(c, { oldName }));
  }

  /** NetworkSettings from the network subsystem, else a minimal Docker-shaped object. */
  networkSettings(c: ContainerRecord): Record<string, unknown> {
    return this.networks()?.settings(c.Id) ?? minimalNetworkSettings(c);
  }

  /** `GET /containers/{id}/json`. */
  inspect(ref: string): Record<string, unknown> {
    const c = this.store.get(ref);
    const view = inspectView(c, this.networkSettings(c), this.runner.paths(c.Id));
    view.ExecIDs = this.exec.idsOf(c.Id);
    return view;
  }

  /** `GET /containers/{id}/export`. */
  async exportRootfs(ref: string): Promise<Readable> {
    const c = this.store.get(ref);
    const stream = await this.deps.images.exportRootfs(c.Id);
    this.ctx.events.emit('container', 'export', c.Id, eventAttributes(c));
    return stream;
  }

  imagesInUse(): Set<string> {
    return new Set(this.store.all().map((c) => c.Image));
  }

  volumesInUse(): Set<string> {
    const out = new Set<string>();
    for (const c of this.store.all())
      for (const m of c.MountPoints) if (m.Type === 'volume' && m.Name) out.add(m.Name);
    return out;
  }

  lookup(ref: string): string | undefined {
    try {
      return this.store.lookup(ref);
    } catch {
      return undefined;
    }
  }

  containerView(id: string): ContainerNetworkView | undefined {
    const c = this.store.byFullId(id);
    return c ? networkViewOf(c) : undefined;
  }

  etcHostsPath(id: string): string | undefined {
    return this.store.byFullId(id) ? this.runner.paths(id).hosts : undefined;
  }

  imageUsers(imageId: string): Array<{ id: string; running: boolean }> {
    return this.store
      .all()
      .filter((c) => c.Image === imageId)
      .map((c) => ({ id: c.Id, running: ['running', 'paused', 'restarting'].includes(c.State.Status) }));
  }

  volumeRefCounts(): Map<string, number> {
    return volumeRefCounts(this.store.all());
  }

  /** List entries of every container with `SizeRw` and `SizeRootFs`, for `/system/df`. */
  async diskUsage(): Promise<Array<Record<string, unknown>>> {
    return this.listEntries(this.store.all(), true);
  }

  /** `/containers/json` entries of `containers`, measured when `size` is asked. */
  async listEntries(containers: ContainerRecord[], size: boolean): Promise<Array<Record<string, unknown>>> {
    const now = this.ctx.now();
    const entries = containers.map((c) => listView(c, this.networkSettings(c), now));
    return size ? withSizes(entries, containers, this.deps.images) : entries;
  }

  stateCounts(): { running: number; paused: number; stopped: number } {
    const all = this.store.all();
    const running = all.filter((c) => c.State.Status === 'running' || c.State.Status === 'restarting').length;
    const paused = all.filter((c) => c.State.Status === 'paused').length;
    return { running, paused, stopped: all.length - running - paused };
  }
}

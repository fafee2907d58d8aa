import type { Filters } from '../api/filters.js';
import type { Route } from '../api/route.js';
import type { EngineContext } from '../context.js';
import type { ContainerRegistry, Subsystem, VolumeProvider, VolumeRecord } from '../contracts.js';
import { conflict, EngineError, notFound } from '../errors.js';
import { localVolumeMount, needsMount, validateLocalOptions } from './local-options.js';
import { volumeListFilter, volumePruneFilter } from './volume-filters.js';
import { anonymousVolumeName, checkVolumeName } from './volume-names.js';
import { volumeRoutes } from './volume-routes.js';
import { type StoredVolume, treeSize, VolumeStore } from './volume-store.js';

/**
 * Local volumes: named and anonymous, plain directories under `<dataRoot>/volumes`, or mounted
 * from elsewhere with the local driver's `type`/`o`/`device` options while containers use them.
 */
export class VolumeService implements Subsystem, VolumeProvider {
  private readonly store: VolumeStore;
  /** One operation at a time: create, remove and mount must not interleave for one name. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: { containers: ContainerRegistry },
  ) {
    this.store = new VolumeStore(`${ctx.dataRoot}/volumes`);
  }

  async init(): Promise<void> {
    const skipped = await this.store.load(async (dir) => (await this.ctx.host.mountsUnder(dir)).length > 0);
    for (const name of skipped) {
      this.ctx.log('warn', 'volume directory without metadata is still mounted; left alone', { name });
    }
  }

  async shutdown(): Promise<void> {
    await this.queue;
  }

  /** Creates a volume (an anonymous one when `name` is empty); an existing one is returned as is. */
  create(
    name: string | undefined,
    labels: Record<string, string> = {},
    driverOpts: Record<string, string> = {},
  ) {
    return this.serial(async (): Promise<VolumeRecord> => {
      const volumeName = name || anonymousVolumeName();
      checkVolumeName(volumeName);
      const existing = this.store.get(volumeName);
      if (existing) return toRecord(existing);
      validateLocalOptions(driverOpts);
      const volume: StoredVolume = {
        Name: volumeName,
        Driver: 'local',
        Mountpoint: this.store.dataPath(volumeName),
        Labels: { ...labels },
        Options: { ...driverOpts },
        Scope: 'local',
        // RFC 3339 to the second, as dockerd writes it.
        CreatedAt: new Date(this.ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        users: [],
      };
      await this.store.create(volume);
      this.ctx.events.emit('volume', 'create', volumeName, { driver: 'local' });
      return toRecord(volume);
    });
  }

  ensure(name: string, labels?: Record<string, string>): Promise<VolumeRecord> {
    return this.create(name, labels);
  }

  remove(name: string, force = false): Promise<void> {
    return this.serial(async () => {
      const volume = this.store.get(name);
      if (!volume) {
        if (force) return;
        throw notFound(`get ${name}: no such volume`);
      }
      if (this.deps.containers.volumesInUse().has(name) || volume.users.length > 0) {
        throw conflict(`remove ${name}: volume is in use`);
      }
      if (needsMount(validateLocalOptions(volume.Options))) await this.ctx.host.unmount(volume.Mountpoint);
      // Never delete through a mount: whatever is still mounted there belongs to someone else.
      const mounted = await this.ctx.host.mountsUnder(this.store.dirPath(name));
      if (mounted.length > 0)
        throw conflict(`remove ${name}: volume is in use (still mounted at ${mounted[0]})`);
      await this.store.remove(name);
      this.ctx.events.emit('volume', 'destroy', name, { driver: 'local' });
    });
  }

  /**
   * Makes the volume's data available for a container and returns the host path to bind.
   * Volumes with mount options are mounted on first use and stay mounted while any container
   * has them (recorded in the metadata, so the count survives an engine restart).
   */
  mount(
    name: string,
    containerId: string,
    where?: { destination: string; readWrite: boolean; propagation?: string },
  ): Promise<string> {
    return this.serial(async () => {
      const volume = this.store.get(name);
      if (!volume) throw notFound(`get ${name}: no such volume`);
      if (volume.users.includes(containerId)) return volume.Mountpoint;
      const opts = validateLocalOptions(volume.Options);
      const mounted = (await this.ctx.host.mountsUnder(volume.Mountpoint)).includes(volume.Mountpoint);
      if (needsMount(opts) && !mounted) await this.ctx.host.mount(localVolumeMount(opts, volume.Mountpoint));
      await this.store.save({ ...volume, users: [...volume.users, containerId] });
      const attributes: Record<string, string> = { container: containerId, driver: 'local' };
      if (where) {
        attributes.destination = where.destination;
        attributes['read/write'] = String(where.readWrite);
        attributes.propagation = where.propagation ?? '';
      }
      this.ctx.events.emit('volume', 'mount', name, attributes);
      return volume.Mountpoint;
    });
  }

  /** Releases a container's use of the volume; the last user unmounts an option volume. Idempotent. */
  unmount(name: string, containerId: string): Promise<void> {
    return this.serial(async () => {
      const volume = this.store.get(name);
      if (!volume) return;
      const users = volume.users.filter((u) => u !== containerId);
      if (users.length === 0 && needsMount(validateLocalOptions(volume.Options))) {
        await this.ctx.host.unmount(volume.Mountpoint);
      }
      if (users.length !== volume.users.length) {
        await this.store.save({ ...volume, users });
        this.ctx.events.emit('volume', 'unmount', name, { container: containerId, driver: 'local' });
      }
    });
  }

  routes(): Route[] {
    return volumeRoutes(this);
  }

  /** A volume's API record; 404 when it does not exist. */
  inspect(name: string): VolumeRecord {
    const volume = this.store.get(name);
    if (!volume) throw notFound(`get ${name}: no such volume`);
    return toRecord(volume);
  }

  /** Volumes passing the list filters (`name`, `driver`, `label`, `dangling`), by name. */
  list(filters: Filters): VolumeRecord[] {
    const keep = volumeListFilter(filters, this.inUse());
    return this.store.all().filter(keep).map(toRecord);
  }

  /** Removes every volume no container uses that passes the prune filters (`label`, `label!`). */
  async prune(filters: Filters): Promise<{ VolumesDeleted: string[]; SpaceReclaimed: number }> {
    const keep = volumePruneFilter(filters);
    const inUse = this.inUse();
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const v of this.store.all()) {
      if (inUse.has(v.Name) || !keep(v)) continue;
      const size = needsMount(validateLocalOptions(v.Options)) ? 0 : await treeSize(v.Mountpoint);
      try {
        await this.remove(v.Name);
      } catch (err) {
        if (err instanceof EngineError && err.kind === 'conflict') continue;
        throw err;
      }
      deleted.push(v.Name);
      reclaimed += size;
    }
    return { VolumesDeleted: deleted, SpaceReclaimed: reclaimed };
  }

  async usage(): Promise<Array<VolumeRecord & { UsageData: { Size: number; RefCount: number } }>> {
    const inUse = this.inUse();
    const counts = this.deps.containers.volumeRefCounts?.();
    const out = [];
    for (const v of this.store.all()) {
      // An option volume (tmpfs, nfs, bind) has nothing to measure while no container mounts it.
      const unmeasured = needsMount(validateLocalOptions(v.Options)) && v.users.length === 0;
      const refs = counts?.get(v.Name) ?? Math.max(v.users.length, inUse.has(v.Name) ? 1 : 0);
      out.push({
        ...toRecord(v),
        UsageData: { Size: unmeasured ? -1 : await treeSize(v.Mountpoint), RefCount: refs },
      });
    }
    return out;
  }

  private inUse(): Set<string> {
    const names = new Set(this.deps.containers.volumesInUse());
    for (const v of this.store.all()) if (v.users.length > 0) names.add(v.Name);
    return names;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function toRecord(v: StoredVolume): VolumeRecord {
  const { users: _users, ...record } = v;
  return record;
}

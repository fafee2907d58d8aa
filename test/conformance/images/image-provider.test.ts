import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTar } from '../../../runtime/archive/tar-reader.js';
import type { EngineContext } from '../../../runtime/context.js';
import type { ContainerRegistry } from '../../../runtime/contracts.js';
import { EventBus } from '../../../runtime/events/event-bus.js';
import { LinuxHost } from '../../../runtime/host/linux-host.js';
import { configBytes } from '../../../runtime/images/image-config.js';
import { deleteImage } from '../../../runtime/images/image-delete.js';
import { ImageService } from '../../../runtime/images/image-service.js';
import { CopySnapshotter } from '../../../runtime/snapshots/copy-snapshotter.js';
import { OverlaySnapshotter } from '../../../runtime/snapshots/overlay-snapshotter.js';
import { busyboxRootfsTar } from '../../support/busybox-rootfs.js';
import { eventually } from '../../support/eventually.js';
import { mountsUnder } from '../../support/leak-check.js';

const snapshotterFor = (driver: string, ctx: EngineContext, dir: string) =>
  driver === 'vfs'
    ? new CopySnapshotter(ctx, join(dir, 'snapshots'))
    : new OverlaySnapshotter(ctx, join(dir, 'snapshots'));

/** Containers as the image subsystem sees them: which image each one uses. */
class Users implements ContainerRegistry {
  readonly images = new Map<string, { image: string; running: boolean }>();
  imagesInUse = () => new Set([...this.images.values()].map((u) => u.image));
  volumesInUse = () => new Set<string>();
  lookup = (ref: string) => (this.images.has(ref) ? ref : undefined);
  imageUsers = (id: string) =>
    [...this.images].filter(([, u]) => u.image === id).map(([cid, u]) => ({ id: cid, running: u.running }));
}

// The ImageProvider side of the image subsystem on real overlay mounts, in-process: a
// container's rootfs, commit of its changes (whiteouts included), export, removal with layer
// reference counting, and a restart on the same data root.
describe.each(['overlay2', 'vfs'])('image provider on %s: rootfs, commit, export', (driver) => {
  const host = new LinuxHost();
  const users = new Users();
  let dir: string;
  let ctx: EngineContext;
  let images: ImageService;
  let baseId: string;
  const cid = 'a'.repeat(64);
  const cid2 = 'b'.repeat(64);

  const mountRootfs = async (containerId: string, imageId: string) => {
    const mounts = await images.prepareRootfs(containerId, imageId);
    for (const m of mounts) await host.mount(m);
    return mounts[0]?.target as string;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-image-provider-'));
    ctx = {
      dataRoot: dir,
      runRoot: join(dir, 'run'),
      host,
      events: new EventBus(),
      now: Date.now,
      log: () => undefined,
      options: { dnsForwarding: false },
    };
    images = new ImageService(ctx, { containers: users, snapshotter: snapshotterFor(driver, ctx, dir) });
    await images.init();
    const { store } = images;
    baseId = await store.adding(async () => {
      const layer = await store.layers.ensure(undefined, { stream: createReadStream(busyboxRootfsTar()) });
      const config = {
        architecture: 'amd64',
        os: 'linux',
        config: { Cmd: ['sh'] },
        rootfs: { type: 'layers' as const, diff_ids: [layer.diffId] },
      };
      return store.addImage(configBytes(config), [layer]);
    });
    await store.tag(baseId, 'docker.io/berth-test/provider:latest');
  });
  afterAll(async () => {
    for (const t of mountsUnder(dir).sort((a, b) => b.length - a.length))
      await host.unmount(t, { detach: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a container a writable rootfs above the image (idempotently)', async () => {
    const root = await mountRootfs(cid, 'berth-test/provider');
    expect(existsSync(join(root, 'bin/busybox'))).toBe(true);
    writeFileSync(join(root, 'new-file'), 'made in the container');
    unlinkSync(join(root, 'etc/passwd'));
    await host.unmount(root);
    expect((await images.prepareRootfs(cid, baseId))[0]?.target).toBe(root);
  });

  it('exports the merged filesystem and unmounts its private view afterwards', async () => {
    const names: string[] = [];
    for await (const e of readTar(await images.exportRootfs(cid))) names.push(e.header.name);
    expect(names).toContain('new-file');
    expect(names).toContain('bin/busybox');
    expect(names).not.toContain('etc/passwd');
    // the body ends after the private view is unmounted
    expect(mountsUnder(dir)).toEqual([]);
  });

  it('exports a container whose rootfs is mounted (running) without disturbing it', async () => {
    const root = await mountRootfs(cid, baseId);
    const names: string[] = [];
    for await (const e of readTar(await images.exportRootfs(cid))) names.push(e.header.name);
    expect(names).toContain('new-file');
    writeFileSync(join(root, 'still-writable'), 'yes');
    await host.unmount(root);
    unlinkSync(join(images.store.snapshots.upperDir(`container-${cid}`), 'still-writable'));
    await eventually(() => expect(mountsUnder(dir)).toEqual([]), { what: 'the export view to be unmounted' });
  });

  it('commits the changes, deletions included, into a new image', async () => {
    const committed = await images.commit(
      cid,
      baseId,
      { Cmd: ['cat', '/new-file'] },
      { reference: 'berth-test/provider:committed', comment: 'c1' },
    );
    expect(committed.repoTags).toEqual(['berth-test/provider:committed']);
    expect(committed.config.rootfs.diff_ids).toHaveLength(2);
    expect(committed.config.config.Cmd).toEqual(['cat', '/new-file']);
    expect(committed.config.history?.at(-1)?.comment).toBe('c1');
    const root = await mountRootfs(cid2, committed.id);
    expect(readFileSync(join(root, 'new-file'), 'utf8')).toBe('made in the container');
    expect(existsSync(join(root, 'etc/passwd'))).toBe(false);
    expect(existsSync(join(root, 'etc/group'))).toBe(true);
    await host.unmount(root);
  });

  it('a container that never started commits an empty layer and exports its image', async () => {
    const fresh = 'c'.repeat(64);
    users.images.set(fresh, { image: baseId, running: false });
    try {
      const names: string[] = [];
      for await (const e of readTar(await images.exportRootfs(fresh))) names.push(e.header.name);
      expect(names).toContain('etc/passwd');
      const same = await images.commit(fresh, baseId, { Cmd: ['sh'] }, { comment: 'nothing changed' });
      expect(same.config.rootfs.diff_ids).toEqual(images.store.config(baseId).rootfs.diff_ids);
      expect(same.config.history?.at(-1)).toMatchObject({ comment: 'nothing changed', empty_layer: true });
      await deleteImage(images, same.id, { force: false, noprune: true });
    } finally {
      users.images.delete(fresh);
      await images.removeRootfs(fresh);
    }
  });

  it('refuses to delete an image a container uses, unless forced; layers stay until the container goes', async () => {
    const committed = await images.resolve('berth-test/provider:committed');
    users.images.set(cid2, { image: committed.id, running: true });
    await expect(deleteImage(images, committed.id, { force: true, noprune: false })).rejects.toThrow(
      /cannot be forced\) - image is being used by running container bbbbbbbbbbbb/,
    );
    users.images.set(cid2, { image: committed.id, running: false });
    await expect(deleteImage(images, committed.id, { force: false, noprune: false })).rejects.toThrow(
      /must be forced\) - image is being used by stopped container bbbbbbbbbbbb/,
    );
    // By name: the name goes, the image stays for its container.
    expect(
      await deleteImage(images, 'berth-test/provider:committed', { force: false, noprune: false }),
    ).toEqual([{ Untagged: 'berth-test/provider:committed' }]);
    const records = await deleteImage(images, committed.id, { force: true, noprune: false });
    expect(records).toEqual([{ Deleted: committed.id }]);
    const layersBefore = Object.keys(images.store.snapshot.layers).length;
    expect(layersBefore).toBe(2);
    users.images.delete(cid2);
    await images.removeRootfs(cid2);
    await images.removeRootfs(cid2);
    expect(Object.keys(images.store.snapshot.layers)).toHaveLength(1);
  });

  it('comes back after a restart on the same data root', async () => {
    const again = new ImageService(ctx, { containers: users, snapshotter: snapshotterFor(driver, ctx, dir) });
    await again.init();
    expect((await again.resolve('berth-test/provider')).id).toBe(baseId);
    expect(again.store.snapshots.get(`container-${cid}`)?.kind).toBe('active');
    await again.removeRootfs(cid);
    const layer = again.store.config(baseId).rootfs.diff_ids[0];
    expect(await deleteImage(again, baseId, { force: false, noprune: false })).toEqual([
      { Untagged: 'berth-test/provider:latest' },
      { Deleted: baseId },
      { Deleted: layer },
    ]);
    expect(readdirSync(join(dir, 'snapshots')).filter((n) => /^\d+$/.test(n))).toEqual([]);
    expect(readdirSync(join(dir, 'content/blobs/sha256'))).toEqual([]);
  });
});

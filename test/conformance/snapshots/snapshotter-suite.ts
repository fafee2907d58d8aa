import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTar } from '../../../runtime/archive/tar-reader.js';
import { LinuxHost } from '../../../runtime/host/linux-host.js';
import type { Snapshotter } from '../../../runtime/snapshots/snapshotter.js';
import { mountsUnder } from '../../support/leak-check.js';

/** Builds the snapshotter under test on a root directory. */
export type SnapshotterFactory = (root: string, host: LinuxHost) => Snapshotter;

/**
 * The behaviour every snapshotter must have, on real mounts: layers shared by many writable
 * snapshots, deletions hidden (not applied) below, read-only views, removal guarded by children,
 * state that survives a restart, deep stacks, and no mount left behind.
 */
export function snapshotterSuite(name: string, make: SnapshotterFactory): void {
  describe(`snapshotter conformance: ${name}`, () => {
    const host = new LinuxHost();
    let dir: string;
    let root: string;
    let snapshots: Snapshotter;
    const mounted: string[] = [];

    const mountAt = async (key: string, readonly = false): Promise<string> => {
      const target = join(dir, `mnt-${key}-${mounted.length}`);
      mkdirSync(target);
      for (const m of snapshots.mounts(key, target, readonly)) await host.mount(m);
      mounted.push(target);
      return target;
    };
    const unmountAll = async () => {
      for (const t of mounted.splice(0).reverse()) await host.unmount(t);
    };
    /** A committed layer holding `files`, above `parent`. */
    const layer = async (key: string, parent: string | undefined, files: Record<string, string>) => {
      await snapshots.prepare(`tmp-${key}`, parent, '');
      for (const [path, text] of Object.entries(files))
        writeFileSync(join(snapshots.upperDir(`tmp-${key}`), path), text);
      await snapshots.commit(key, `tmp-${key}`);
    };

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'berth-snapshots-'));
      root = join(dir, 'snapshots');
      snapshots = make(root, host);
      await snapshots.init();
    });
    afterEach(async () => {
      await unmountAll();
      expect(mountsUnder(dir)).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    });

    it('a writable snapshot with no parent holds what is written, and commits into a layer', async () => {
      await snapshots.prepare('a', undefined, '');
      const target = await mountAt('a');
      writeFileSync(join(target, 'hello'), 'world');
      await unmountAll();
      await snapshots.commit('layer-a', 'a');
      expect(snapshots.get('layer-a')?.kind).toBe('committed');
      expect(snapshots.get('a')).toBeUndefined();
      expect(readFileSync(join(snapshots.upperDir('layer-a'), 'hello'), 'utf8')).toBe('world');
    });

    it('containers share a layer; their changes (and deletions) stay in their own upper dir', async () => {
      await layer('base', undefined, { shared: 'base', doomed: 'x' });
      await snapshots.prepare('c1', 'base', '');
      await snapshots.prepare('c2', 'base', '');
      const one = await mountAt('c1');
      const two = await mountAt('c2');
      expect(readFileSync(join(one, 'shared'), 'utf8')).toBe('base');
      writeFileSync(join(one, 'shared'), 'changed by c1');
      unlinkSync(join(one, 'doomed'));
      expect(readFileSync(join(two, 'shared'), 'utf8')).toBe('base');
      expect(existsSync(join(two, 'doomed'))).toBe(true);
      expect(readFileSync(join(snapshots.upperDir('base'), 'shared'), 'utf8')).toBe('base');
      if (snapshots.whiteouts === 'overlay') {
        const whiteout = lstatSync(join(snapshots.upperDir('c1'), 'doomed'));
        expect(whiteout.isCharacterDevice() && whiteout.rdev === 0).toBe(true);
      } else expect(existsSync(join(snapshots.upperDir('c1'), 'doomed'))).toBe(false);
    });

    it('diffs a container against its parent: additions, changes and deletions as a layer tar', async () => {
      await layer('base', undefined, { same: 's', changed: 'old', doomed: 'x' });
      mkdirSync(join(snapshots.upperDir('base'), 'dir'));
      writeFileSync(join(snapshots.upperDir('base'), 'dir/inner'), 'i');
      await snapshots.prepare('c', 'base', '');
      const target = await mountAt('c');
      writeFileSync(join(target, 'changed'), 'new contents');
      writeFileSync(join(target, 'added'), 'a');
      unlinkSync(join(target, 'doomed'));
      unlinkSync(join(target, 'dir/inner'));
      await unmountAll();
      const names: string[] = [];
      for await (const e of readTar(snapshots.diff('c'))) names.push(`${e.header.type} ${e.header.name}`);
      expect(names.sort()).toEqual(
        ['directory dir/', 'file .wh.doomed', 'file added', 'file changed', 'file dir/.wh.inner'].sort(),
      );
    });

    it('a read-only view shows the merged tree and refuses writes', async () => {
      await layer('base', undefined, { a: '1' });
      await snapshots.prepare('c', 'base', '');
      const rw = await mountAt('c');
      writeFileSync(join(rw, 'b'), '2');
      const view = await mountAt('c', true);
      expect(readdirSync(view).sort()).toEqual(['a', 'b']);
      expect(() => writeFileSync(join(view, 'c'), '3')).toThrow(/EROFS|read-only/);
    });

    it('stacks layers nearest first, 40 deep', async () => {
      let parent: string | undefined;
      for (let i = 0; i < 40; i++) {
        await layer(`l${i}`, parent, { [`f${i}`]: String(i), top: String(i) });
        parent = `l${i}`;
      }
      await snapshots.prepare('c', parent, '');
      const target = await mountAt('c');
      expect(readFileSync(join(target, 'top'), 'utf8')).toBe('39');
      expect(readdirSync(target).length).toBe(41);
    });

    it('refuses to remove a layer with children; removal is idempotent and takes the directory', async () => {
      await layer('base', undefined, { a: '1' });
      await snapshots.prepare('c', 'base', '');
      for (const m of snapshots.mounts('c', snapshots.mountPoint('c'))) await host.mount(m);
      await expect(snapshots.remove('base')).rejects.toThrow(/in use/);
      await snapshots.remove('c'); // unmounts what is mounted at its own mount point
      const upper = snapshots.upperDir('base');
      await snapshots.remove('base');
      await snapshots.remove('base');
      expect(existsSync(upper)).toBe(false);
      expect(snapshots.list()).toEqual([]);
    });

    it('keeps its state across a restart and drops what a crash left half-made', async () => {
      await layer('base', undefined, { a: '1' });
      await snapshots.prepare('c', 'base', '');
      mkdirSync(join(root, '999', 'fs'), { recursive: true });
      snapshots = make(root, host);
      await snapshots.init();
      expect(
        snapshots
          .list()
          .map((s) => `${s.key}:${s.kind}:${s.parent ?? ''}`)
          .sort(),
      ).toEqual(['base:committed:', 'c:active:base']);
      expect(existsSync(join(root, '999'))).toBe(false);
      const target = await mountAt('c');
      expect(readFileSync(join(target, 'a'), 'utf8')).toBe('1');
    });
  });
}

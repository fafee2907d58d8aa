import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { eventually } from '../../support/eventually.js';
import { type ContainerHarness, startHarness } from './harness.js';

/**
 * A removed container's writable layer is deleted after the removal is answered: shutdown waits
 * for those deletions, and a layer a crash left without its container is swept at the next start.
 */

/** Keys of container layers in the snapshotter's metadata. */
function containerLayers(h: ContainerHarness): string[] {
  const meta = JSON.parse(readFileSync(join(h.engine.dataRoot, 'snapshots', 'metadata.json'), 'utf8')) as {
    snapshots: Record<string, unknown>;
  };
  return Object.keys(meta.snapshots).filter((k) => k.startsWith('container-'));
}

describe('writable layers of removed containers (crun)', () => {
  let h: ContainerHarness | undefined;
  afterEach(async () => {
    await h?.engine.stop();
    h = undefined;
  });

  it('are all gone once a graceful engine stop returns', async () => {
    h = await startHarness('crun');
    for (let i = 0; i < 3; i++) await h.docker(['run', '--rm', TEST_IMAGE, 'true']);
    const kept = (await h.docker(['create', TEST_IMAGE, 'true'])).stdout.trim();
    await h.docker(['rm', kept]);
    await h.engine.restart();
    expect(containerLayers(h)).toEqual([]);
    h.engine.assertNoLeaks([kept]);
  });

  it('left by a crash between the record and the layer are swept at the next start', async () => {
    h = await startHarness('crun');
    const id = (await h.docker(['create', TEST_IMAGE, 'true'])).stdout.trim();
    expect(containerLayers(h)).toEqual([`container-${id}`]);
    await h.engine.kill9();
    // What a kill between deleting the record and deleting the layer leaves behind.
    rmSync(join(h.engine.dataRoot, 'containers', id), { recursive: true, force: true });
    await h.engine.restart();
    const engine = h;
    await eventually(() => containerLayers(engine).length === 0);
    expect((await h.api('GET', `/containers/${id}/json`)).status).toBe(404);
    h.engine.assertNoLeaks([id]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ImageConfigFile } from '../../../../runtime/contracts.js';
import { chainIds } from '../../../../runtime/images/chain-id.js';
import type { ImageState } from '../../../../runtime/images/image-state.js';
import { imageDiskUsage } from '../../../../runtime/images/image-usage.js';
import { diskUsageBody } from '../../../../runtime/system/disk-usage-body.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const [L1, L2, L3] = [d('1'), d('2'), d('3')];
const [C1, C2] = chainIds([L1, L2]) as [string, string];
const [, C3] = chainIds([L1, L3]) as [string, string];
const layer = (chainId: string, diffId: string, size: number) => ({
  chainId,
  diffId,
  size,
  blob: diffId,
  blobSize: size,
  mediaType: 'application/vnd.docker.image.rootfs.diff.tar',
});
const config = (diffIds: string[]): ImageConfigFile => ({
  architecture: 'amd64',
  os: 'linux',
  config: {},
  rootfs: { type: 'layers', diff_ids: diffIds },
});
// Two images on one 1000-byte base layer, each with a layer of its own.
const [A, B] = [d('a'), d('b')];
const state: ImageState = {
  images: { [A]: { id: A, diffIds: [L1, L2], added: 0 }, [B]: { id: B, diffIds: [L1, L3], added: 0 } },
  layers: { [C1]: layer(C1, L1, 1000), [C2]: layer(C2, L2, 20), [C3]: layer(C3, L3, 300) },
  refs: { 'docker.io/library/a:latest': A },
};
const facts = (id: string) => ({
  entry: state.images[id] ?? { id, diffIds: [], added: 0 },
  config: config(state.images[id]?.diffIds ?? []),
  state,
});

describe('/system/df', () => {
  it('counts a shared layer once in LayersSize and towards each sharing image', () => {
    const usage = imageDiskUsage(state, facts, (id) => (id === A ? 2 : 0));
    expect(usage.layersSize).toBe(1320);
    expect(usage.images).toEqual([
      expect.objectContaining({ Id: A, Size: 1020, SharedSize: 1000, Containers: 2, RepoTags: ['a:latest'] }),
      expect.objectContaining({ Id: B, Size: 1300, SharedSize: 1000, Containers: 0 }),
    ]);
  });

  it('an image alone shares nothing', () => {
    const alone: ImageState = { ...state, images: { [A]: state.images[A] as ImageState['images'][string] } };
    const usage = imageDiskUsage(
      alone,
      (id) => ({ ...facts(id), state: alone }),
      () => 0,
    );
    expect(usage.layersSize).toBe(1020);
    expect(usage.images[0]).toMatchObject({ SharedSize: 0, Size: 1020 });
  });

  it('has every section docker system df reads, empty when a side reports nothing', () => {
    expect(diskUsageBody(undefined, [], [])).toEqual({
      LayersSize: 0,
      Images: [],
      Containers: [],
      Volumes: [],
      BuildCache: [],
    });
  });
});

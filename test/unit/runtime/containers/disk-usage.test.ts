import { describe, expect, it } from 'vitest';
import type { ContainerRecord } from '../../../../runtime/containers/container-record.js';
import { volumeRefCounts, withSizes } from '../../../../runtime/containers/disk-usage.js';

/** A record with only what disk usage reads. */
function record(id: string, mounts: Array<{ Type: string; Name?: string }>): ContainerRecord {
  return { Id: id, Image: `sha256:${id}-image`, MountPoints: mounts } as unknown as ContainerRecord;
}

describe('volume reference counts', () => {
  it('counts each container once per volume, running or not; binds and tmpfs are not volumes', () => {
    const counts = volumeRefCounts([
      record('a', [{ Type: 'volume', Name: 'data' }, { Type: 'volume', Name: 'data' }, { Type: 'bind' }]),
      record('b', [{ Type: 'volume', Name: 'data' }, { Type: 'volume', Name: 'cache' }, { Type: 'tmpfs' }]),
      record('c', []),
    ]);
    expect([...counts.entries()].sort()).toEqual([
      ['cache', 1],
      ['data', 2],
    ]);
  });
});

describe('list entries with sizes', () => {
  const containers = [record('a', []), record('b', [])];
  const entries = [{ Id: 'a' }, { Id: 'b' }];

  it('adds SizeRw and SizeRootFs measured for each container and its image', async () => {
    const sized = await withSizes(entries, containers, {
      containerSizes: async (id, image) => ({
        SizeRw: id === 'a' ? 10 : 0,
        SizeRootFs: (id === 'a' ? 10 : 0) + (image === 'sha256:a-image' ? 100 : 200),
      }),
    });
    expect(sized).toEqual([
      { Id: 'a', SizeRw: 10, SizeRootFs: 110 },
      { Id: 'b', SizeRw: 0, SizeRootFs: 200 },
    ]);
  });

  it('leaves entries as they are when images cannot measure', async () => {
    expect(await withSizes(entries, containers, {})).toEqual(entries);
  });
});

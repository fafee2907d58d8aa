import { describe, expect, it } from 'vitest';
import type { ImageConfigFile } from '../../../../runtime/contracts.js';
import { chainIds } from '../../../../runtime/images/chain-id.js';
import type { ImageState } from '../../../../runtime/images/image-state.js';
import { historyView, inspectView, listEntry } from '../../../../runtime/images/image-views.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const [L1, L2] = [d('1'), d('2')];
const [C1, C2] = chainIds([L1, L2]) as [string, string];
const layer = (chainId: string, diffId: string, size: number, parent?: string) => ({
  chainId,
  diffId,
  parent,
  size,
  blob: diffId,
  blobSize: size,
  mediaType: 'application/vnd.docker.image.rootfs.diff.tar',
});
const config: ImageConfigFile = {
  architecture: 'amd64',
  os: 'linux',
  created: '2024-05-01T10:00:00.5Z',
  config: { Cmd: ['sh'], Labels: { team: 'a' } },
  rootfs: { type: 'layers', diff_ids: [L1, L2] },
  history: [
    { created: '2024-05-01T09:00:00Z', created_by: '/bin/sh -c #(nop) ADD file' },
    { created: '2024-05-01T09:30:00Z', created_by: '/bin/sh -c #(nop) ENV A=1', empty_layer: true },
    { created: '2024-05-01T10:00:00Z', created_by: 'RUN make', comment: 'built' },
  ],
};
const id = d('a');
const state: ImageState = {
  images: { [id]: { id, diffIds: [L1, L2], added: 0 } },
  layers: { [C1]: layer(C1, L1, 1000), [C2]: layer(C2, L2, 24, C1) },
  refs: {
    'docker.io/library/app:1': id,
    'localhost:5000/app:2': id,
    [`docker.io/library/app@${d('f')}`]: id,
  },
};
const facts = { entry: state.images[id] as ImageState['images'][string], config, state };

describe('image views', () => {
  it('lists an image as API 1.41 does', () => {
    expect(listEntry(facts)).toEqual({
      // Docker counts containers only for `system df`: -1 here.
      Containers: -1,
      Created: 1714557600,
      Id: id,
      Labels: { team: 'a' },
      ParentId: '',
      RepoDigests: [`app@${d('f')}`],
      RepoTags: ['app:1', 'localhost:5000/app:2'],
      SharedSize: -1,
      Size: 1024,
      VirtualSize: 1024,
    });
  });

  it('shows an untagged image as <none>', () => {
    const bare = listEntry({ ...facts, state: { ...state, refs: {} } });
    expect([bare.RepoTags, bare.RepoDigests]).toEqual([['<none>:<none>'], ['<none>@<none>']]);
  });

  it('inspects with every Config key, RootFS and the graph driver', () => {
    const view = inspectView(facts, { driver: 'overlay2', upper: '/s/2/fs', lower: ['/s/1/fs'] });
    expect(view).toMatchObject({
      Id: id,
      Created: '2024-05-01T10:00:00.5Z',
      Os: 'linux',
      Architecture: 'amd64',
      Size: 1024,
      RootFS: { Type: 'layers', Layers: [L1, L2] },
      GraphDriver: { Name: 'overlay2', Data: { UpperDir: '/s/2/fs', LowerDir: '/s/1/fs' } },
    });
    expect(view.Config).toMatchObject({ Cmd: ['sh'], Entrypoint: null, Env: null, WorkingDir: '', User: '' });
    expect(inspectView(facts, { driver: 'vfs', upper: '', lower: [] }).GraphDriver).toEqual({
      Name: 'vfs',
      Data: null,
    });
  });

  it('gives history newest first, sizes only on layers, the ID and tags on top', () => {
    expect(historyView(facts)).toEqual([
      {
        Id: id,
        Created: 1714557600,
        CreatedBy: 'RUN make',
        Tags: ['app:1', 'localhost:5000/app:2'],
        Size: 24,
        Comment: 'built',
      },
      {
        Id: '<missing>',
        Created: 1714555800,
        CreatedBy: '/bin/sh -c #(nop) ENV A=1',
        Tags: null,
        Size: 0,
        Comment: '',
      },
      {
        Id: '<missing>',
        Created: 1714554000,
        CreatedBy: '/bin/sh -c #(nop) ADD file',
        Tags: null,
        Size: 1000,
        Comment: '',
      },
    ]);
  });

  it('names a local parent (commit) on the history row where it ends', () => {
    const childId = d('c');
    const child = {
      entry: { id: childId, diffIds: [L1, L2], added: 0, parent: id },
      config: {
        ...config,
        history: [...(config.history ?? []), { created: '2024-05-02T00:00:00Z', comment: 'commit' }],
      },
      state: { ...state, refs: {} },
    };
    const parent = { ...facts, state: { ...state, refs: { 'docker.io/library/app:1': id } } };
    const rows = historyView(child, [parent]);
    expect(rows.map((r) => [r.Id, r.Tags])).toEqual([
      [childId, null],
      [id, ['app:1']],
      ['<missing>', null],
      ['<missing>', null],
    ]);
  });
});

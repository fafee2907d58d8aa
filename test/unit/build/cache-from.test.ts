import { describe, expect, it } from 'vitest';
import { type CacheSource, descendsFrom, findCacheFrom } from '../../../runtime/build/cache-from.js';
import type { ImageConfigFile } from '../../../runtime/contracts.js';

const RUN = '/bin/sh -c echo built > /f';
const CMD = '/bin/sh -c #(nop)  CMD ["cat" "/f"]';

function image(history: Array<[string, boolean]>, layers: string[]): ImageConfigFile {
  return {
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: layers },
    history: history.map(([created_by, empty], i) => ({
      created: `2020-01-0${i + 1}T00:00:00Z`,
      created_by,
      ...(empty ? { empty_layer: true } : {}),
    })),
  };
}

const base = image([['/bin/sh -c #(nop) ADD file:abc in / ', false]], ['sha256:base']);
const built: CacheSource = {
  id: 'sha256:built',
  config: image(
    [
      ['/bin/sh -c #(nop) ADD file:abc in / ', false],
      [RUN, false],
      [CMD, true],
    ],
    ['sha256:base', 'sha256:run'],
  ),
};

describe('cache-from (the classic builder rule)', () => {
  it('a step continuing the parent with the same command is found with its layer', () => {
    expect(findCacheFrom([built], base, RUN)).toEqual({
      source: built,
      index: 1,
      whole: false,
      diffId: 'sha256:run',
    });
  });

  it('the last step is the source image itself; an empty-layer step has no layer', () => {
    const afterRun = image(
      [
        ['/bin/sh -c #(nop) ADD file:abc in / ', false],
        [RUN, false],
      ],
      ['sha256:base', 'sha256:run'],
    );
    expect(findCacheFrom([built], afterRun, CMD)).toEqual({ source: built, index: 2, whole: true });
  });

  it('another command, another parent, or a history that differs in any field misses', () => {
    expect(findCacheFrom([built], base, '/bin/sh -c echo other > /f')).toBeUndefined();
    const otherBase = image([['/bin/sh -c #(nop) ADD file:def in / ', false]], ['sha256:other']);
    expect(findCacheFrom([built], otherBase, RUN)).toBeUndefined();
    const retimed = structuredClone(base);
    (retimed.history ?? [])[0] = { ...(retimed.history ?? [])[0], created: '2021-01-01T00:00:00Z' };
    expect(findCacheFrom([built], retimed, RUN)).toBeUndefined();
  });

  it('scratch is everyone’s parent; an image without history is no source', () => {
    const fromScratch: CacheSource = { id: 'sha256:s', config: image([[RUN, false]], ['sha256:only']) };
    expect(findCacheFrom([fromScratch], undefined, RUN)?.diffId).toBe('sha256:only');
    expect(descendsFrom(image([], []), undefined)).toBe(false);
  });

  it('history entries compare whatever order their keys were written in', () => {
    const reordered = structuredClone(built);
    const h = reordered.config.history ?? [];
    h[0] = { created_by: h[0]?.created_by, created: h[0]?.created };
    expect(findCacheFrom([reordered], base, RUN)?.index).toBe(1);
  });
});

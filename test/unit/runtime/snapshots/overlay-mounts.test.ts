import { describe, expect, it } from 'vitest';
import { overlayMounts } from '../../../../runtime/snapshots/overlay-mounts.js';

const dirs = (kind: 'active' | 'view', lowers: string[]) => ({
  kind,
  upper: '/s/9/fs',
  work: '/s/9/work',
  lowers,
});

describe('overlay mounts builder', () => {
  it('an active snapshot without parent is a writable bind', () => {
    expect(overlayMounts(dirs('active', []), '/t')).toEqual([
      { type: 'bind', source: '/s/9/fs', target: '/t', options: ['rbind', 'rw'] },
    ]);
  });

  it('a view of one layer is a read-only bind', () => {
    expect(overlayMounts(dirs('view', []), '/t')).toEqual([
      { type: 'bind', source: '/s/9/fs', target: '/t', options: ['rbind', 'ro'] },
    ]);
  });

  it('an active snapshot above layers: lowerdir nearest first, upper, work, index=off', () => {
    expect(overlayMounts(dirs('active', ['/s/2/fs', '/s/1/fs']), '/t')).toEqual([
      {
        type: 'overlay',
        source: 'overlay',
        target: '/t',
        options: ['index=off', 'lowerdir=/s/2/fs:/s/1/fs', 'upperdir=/s/9/fs', 'workdir=/s/9/work'],
      },
    ]);
  });

  it('a read-only view of a container: its upper becomes the top lower', () => {
    expect(overlayMounts(dirs('view', ['/s/1/fs']), '/t')[0]?.options).toEqual([
      'ro',
      'index=off',
      'lowerdir=/s/9/fs:/s/1/fs',
    ]);
  });

  it('keeps mount data within one page and refuses paths overlay cannot parse', () => {
    const many = Array.from({ length: 500 }, (_, i) => `/var/lib/berth/snapshots/${i}/fs`);
    expect(() => overlayMounts(dirs('active', many), '/t')).toThrow(/too many layers/);
    expect(() => overlayMounts(dirs('active', ['/a:b/fs']), '/t')).toThrow(/cannot be used/);
    const short = Array.from({ length: 128 }, (_, i) => `/var/lib/berth/snapshots/${i}/fs`);
    expect(overlayMounts(dirs('active', short), '/t')[0]?.options.join(',').length).toBeLessThan(4096);
  });

  it('places extra options before the layer paths', () => {
    const [m] = overlayMounts({ ...dirs('active', ['/s/1/fs']), extra: ['redirect_dir=off'] }, '/t');
    expect(m?.options).toEqual([
      'index=off',
      'redirect_dir=off',
      'lowerdir=/s/1/fs',
      'upperdir=/s/9/fs',
      'workdir=/s/9/work',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { problemsOf, service } from './helpers.js';

const volumes = (...items: string[]) => service(`{ image: x, volumes: [${items.join(', ')}] }`).volumes;

describe('service volumes', () => {
  it('resolves relative and ~ bind sources', () => {
    expect(volumes('"./html:/usr/share/html:ro"')).toEqual([
      {
        type: 'bind',
        source: '/srv/demo/html',
        target: '/usr/share/html',
        read_only: true,
        bind: { create_host_path: true },
      },
    ]);
    expect(volumes('"../up:/up"')[0].source).toBe('/srv/up');
    expect(volumes('"~/.cache:/cache"')[0].source).toBe('/home/me/.cache');
    expect(volumes('"/abs:/abs:rw,z,rshared"')).toEqual([
      {
        type: 'bind',
        source: '/abs',
        target: '/abs',
        read_only: false,
        bind: { create_host_path: true, selinux: 'z', propagation: 'rshared' },
      },
    ]);
  });

  it('reads named and anonymous volumes', () => {
    expect(volumes('"data:/var/lib/data:nocopy"')).toEqual([
      { type: 'volume', source: 'data', target: '/var/lib/data', volume: { nocopy: true } },
    ]);
    expect(volumes('/scratch')).toEqual([{ type: 'volume', target: '/scratch' }]);
  });

  it('reads the long syntax, tmpfs sizes included', () => {
    expect(
      volumes(
        '{ type: bind, source: ./src, target: /src, read_only: true, bind: { create_host_path: false } }',
      ),
    ).toEqual([
      {
        type: 'bind',
        source: '/srv/demo/src',
        target: '/src',
        read_only: true,
        bind: { create_host_path: false },
      },
    ]);
    expect(volumes('{ type: tmpfs, target: /tmp, tmpfs: { size: 64m, mode: "1777" } }')).toEqual([
      { type: 'tmpfs', target: '/tmp', tmpfs: { size: 64 * 1024 * 1024, mode: 0o1777 } },
    ]);
    expect(volumes('{ type: volume, source: data, target: /d, volume: { subpath: sub } }')).toEqual([
      { type: 'volume', source: 'data', target: '/d', volume: { subpath: 'sub' } },
    ]);
  });

  it('reports bad entries at their place', () => {
    expect(problemsOf(() => volumes('"a:b:c:d"', '"./x:/x:bogus"', '{ type: bind, target: /t }'))).toEqual([
      'services.s.volumes[0]: invalid volume "a:b:c:d"',
      'services.s.volumes[1]: invalid volume "./x:/x:bogus": unknown mode "bogus"',
      'services.s.volumes[2]: a bind mount needs a "source"',
    ]);
  });
});

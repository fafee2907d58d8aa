import { describe, expect, it } from 'vitest';
import { mountRequests, parseBind } from '../../../../runtime/oci/mount-requests.js';
import { mergeEnv, pathAndArgs, processEnv, resolveCommand } from '../../../../runtime/oci/process-args.js';

describe('resolveCommand (Docker rules for image defaults)', () => {
  const image = { Entrypoint: ['/entry'], Cmd: ['serve'] };
  it.each([
    [{}, { entrypoint: ['/entry'], cmd: ['serve'] }],
    [{ Cmd: ['x'] }, { entrypoint: ['/entry'], cmd: ['x'] }],
    [{ Entrypoint: ['/other'] }, { entrypoint: ['/other'], cmd: [] }],
    [{ Entrypoint: [''] }, { entrypoint: [], cmd: [] }],
    [
      { Entrypoint: [''], Cmd: ['sh'] },
      { entrypoint: [], cmd: ['sh'] },
    ],
    [
      { Entrypoint: 'bin', Cmd: null },
      { entrypoint: ['bin'], cmd: [] },
    ],
  ])('%j', (req, expected) => {
    expect(resolveCommand(req, image)).toEqual(expected);
  });
  it('refuses a container with no command', () => {
    expect(() => pathAndArgs([], [])).toThrow(/No command specified/);
  });
});

describe('environment', () => {
  it('merges by key, defaults PATH, adds HOSTNAME, HOME and TERM', () => {
    const env = mergeEnv(['A=1', 'B=2'], ['B=3', 'C', 'D=']);
    expect(env).toEqual([
      'A=1',
      'B=3',
      'D=',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);
    expect(processEnv(['PATH=/bin'], 'h1', '/home/u', true)).toEqual([
      'HOSTNAME=h1',
      'PATH=/bin',
      'TERM=xterm',
      'HOME=/home/u',
    ]);
  });
});

describe('mount requests', () => {
  it('parses binds, volumes, tmpfs and image VOLUMEs', () => {
    const got = mountRequests(
      {
        Binds: ['/srv:/data:ro', 'named:/var/lib/x'],
        Mounts: [{ Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 1024 } }],
        Tmpfs: { '/cache': 'size=1m' },
      },
      { '/var/lib/x': {}, '/anon/': {} },
    );
    expect(got.map((m) => [m.type, m.source, m.destination, m.readOnly])).toEqual([
      ['bind', '/srv', '/data', true],
      ['volume', 'named', '/var/lib/x', false],
      ['tmpfs', '', '/run', false],
      ['tmpfs', '', '/cache', false],
      ['volume', '', '/anon', false],
    ]);
  });
  it.each(['nocolon', '/a:relative', 'bad name!:/x', '/a:/b:bogus', '/a:/'])('refuses %s', (spec) => {
    expect(() => parseBind(spec)).toThrow();
  });
  it('refuses duplicate destinations and a hostile image VOLUME', () => {
    expect(() => mountRequests({ Binds: ['/a:/x', '/b:/x'] })).toThrow(/Duplicate mount point/);
    expect(mountRequests({}, { '/../../etc': {} })[0]?.destination).toBe('/etc');
  });
});

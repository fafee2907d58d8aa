import { describe, expect, it } from 'vitest';
import { execProcessSpec } from '../../../../runtime/exec/process-spec.js';
import { conmonArgs, createError } from '../../../../runtime/supervisor/conmon.js';

const base = {
  id: 'abc',
  name: 'web',
  runtimePath: '/usr/bin/crun',
  runtimeRoot: '/run/berth/oci',
  bundle: '/var/lib/berth/containers/abc',
  pidFile: '/run/berth/containers/abc/pid',
  conmonPidFile: '/run/berth/containers/abc/conmon.pid',
  exitDir: '/var/lib/berth/containers/abc/exit',
  persistDir: '/var/lib/berth/containers/abc/persist',
  socketDir: '/run/berth/sockets',
  logPath: '/var/lib/berth/containers/abc/container.log',
  logSizeMax: 1024,
  tty: false,
  stdin: false,
};

describe('conmon command line', () => {
  it('runs the runtime with our state root, exit dir and CRI log, stdin only when asked', () => {
    const args = conmonArgs(base);
    expect(args).toEqual(
      expect.arrayContaining([
        '--runtime-arg',
        '--root=/run/berth/oci',
        '-l',
        'k8s-file:/var/lib/berth/containers/abc/container.log',
        '--no-sync-log',
      ]),
    );
    expect(args).not.toContain('-i');
    expect(conmonArgs({ ...base, stdin: true, tty: true })).toEqual(
      expect.arrayContaining(['-t', '-i', '--leave-stdin-open']),
    );
    expect(conmonArgs({ ...base, stdin: true, stdinOnce: true })).not.toContain('--leave-stdin-open');
  });

  it("words create failures as Docker does, so the CLI's exit codes follow", () => {
    const missing = createError('executable file `nope` not found in $PATH: No such file or directory');
    expect(missing.status).toBe(400);
    expect(missing.message).toContain('exec: "nope": executable file not found in $PATH');
    expect(createError('open executable: Permission denied').message).toContain('permission denied');
    expect(createError('cgroup trouble').status).toBe(500);
  });

  it("derives an exec's process from the container's, with its own command, env, user and terminal", () => {
    const container = {
      args: ['sleep'],
      env: ['PATH=/bin', 'A=1'],
      cwd: '/srv',
      user: { uid: 0, gid: 0 },
      capabilities: { bounding: ['CAP_KILL'] },
    };
    const spec = execProcessSpec(
      container,
      { Cmd: ['sh'], Env: ['A=2'], User: 'nobody', Tty: true },
      { passwd: 'nobody:x:65534:65534::/:/bin/false\n', group: '' },
    );
    expect(spec).toMatchObject({
      args: ['sh'],
      cwd: '/srv',
      terminal: true,
      user: { uid: 65534, gid: 65534 },
      capabilities: { bounding: ['CAP_KILL'] },
    });
    expect(spec.env).toEqual(['PATH=/bin', 'A=2', 'TERM=xterm']);
  });
});

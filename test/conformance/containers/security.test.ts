import { describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { RUNTIMES, useHarness } from './harness.js';

for (const runtime of RUNTIMES) {
  describe(`container isolation and limits [${runtime}]`, () => {
    const harness = useHarness(runtime);
    const sh = async (args: string[], script: string) =>
      (
        await harness().docker(['run', '--rm', ...args, TEST_IMAGE, 'sh', '-c', script], {
          allowFailure: true,
        })
      ).stdout;

    it("gets Docker's default capabilities, nothing inheritable, and cap-add/drop", async () => {
      expect(await sh([], 'grep -E "^Cap(Eff|Inh)" /proc/self/status')).toBe(
        'CapInh:\t0000000000000000\nCapEff:\t00000000a80425fb\n',
      );
      expect(
        await sh(['--cap-add', 'NET_ADMIN', '--cap-drop', 'CHOWN'], 'grep CapEff /proc/self/status'),
      ).toBe('CapEff:\t00000000a80435fa\n');
    });

    it('refuses mount (seccomp and capabilities), masks /proc/timer_list, makes /proc/sys read-only', async () => {
      expect(
        await sh([], 'mkdir -p /m; mount -t tmpfs t /m 2>/dev/null && echo mounted || echo refused'),
      ).toBe('refused\n');
      expect(await sh([], 'grep -c " /proc/timer_list " /proc/self/mountinfo')).toBe('1\n');
      expect(await sh([], 'echo 1 > /proc/sys/kernel/domainname 2>/dev/null; echo $?')).not.toBe('0\n');
    });

    it('honours --read-only with --tmpfs, --init, --ulimit, -u with a name, and the memory limit (OOMKilled)', async () => {
      const h = harness();
      expect(
        await sh(
          ['--read-only', '--tmpfs', '/run'],
          'touch /x 2>/dev/null || echo ro; touch /run/y && echo tmpfs',
        ),
      ).toBe('ro\ntmpfs\n');
      expect(await sh(['--init'], 'cat /proc/1/cmdline | tr "\\0" " "')).toMatch(
        /^\/sbin\/docker-init -- sh/,
      );
      expect(await sh(['--ulimit', 'nofile=512:1024'], 'ulimit -n; ulimit -Hn')).toBe('512\n1024\n');
      expect(await sh(['-u', 'nobody'], 'id')).toBe('uid=65534(nobody) gid=65534(nogroup)\n');
      const name = h.name('oom');
      const res = await h.docker(
        ['run', '--name', name, '-m', '8m', TEST_IMAGE, 'sh', '-c', 'x=a; while true; do x="$x$x"; done'],
        { allowFailure: true },
      );
      expect(res.code).toBe(137);
      const state = (await h.inspect(name)).State as { OOMKilled?: boolean; ExitCode: number };
      expect(state).toMatchObject({ OOMKilled: true, ExitCode: 137 });
    });

    it('gives the container its own hostname, /etc/hosts entry and loopback-only network when none is attached', async () => {
      const out = await sh(
        ['--hostname', 'box1', '--add-host', 'db:10.9.8.7'],
        'hostname; grep -E "db|box1" /etc/hosts',
      );
      expect(out).toMatch(/^box1\n/);
      expect(out).toContain('10.9.8.7\tdb');
    });
  });
}

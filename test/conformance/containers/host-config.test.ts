import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { type ContainerHarness, cgroupDir, RUNTIMES, useHarness } from './harness.js';

/** A v1 cgroup file of a running container, read from the host. */
function cgroupFile(pid: number, controller: string, file: string): string {
  return readFileSync(`${cgroupDir(pid, controller)}/${file}`, 'utf8').trim();
}

/** Creates and starts a container through the API with these Config/HostConfig fields; returns its id and pid. */
async function started(
  h: ContainerHarness,
  config: Record<string, unknown>,
  hostConfig: Record<string, unknown> = {},
): Promise<{ id: string; pid: number }> {
  const create = await h.api('POST', '/containers/create', {
    Image: TEST_IMAGE,
    Cmd: ['sleep', '300'],
    ...config,
    HostConfig: hostConfig,
  });
  expect(create.status, create.text).toBe(201);
  const id = (create.body as { Id: string }).Id;
  const start = await h.api('POST', `/containers/${id}/start`);
  expect(start.status, start.text).toBe(204);
  return { id, pid: (await h.inspect(id)).State.Pid };
}

/** Runs `sh -c script` in a running container and returns stdout. */
async function inside(h: ContainerHarness, id: string, script: string): Promise<string> {
  return (await h.docker(['exec', id, 'sh', '-c', script])).stdout;
}

// Every Config/HostConfig field issue 5 lists, observed inside (or, for cgroups, around) a real
// container created through the raw API: the spec builder's unit goldens prove the JSON, these
// prove the OCI runtime and the kernel got it.
for (const runtime of RUNTIMES) {
  describe(`Config and HostConfig fields applied to a running container [${runtime}]`, () => {
    const harness = useHarness(runtime);

    it('Env, Entrypoint, Cmd, WorkingDir, User, Hostname, Labels, Tty, OpenStdin, StopSignal, StopTimeout', async () => {
      const h = harness();
      const { id } = await started(h, {
        Env: ['GREETING=hi there'],
        Entrypoint: ['sh', '-c'],
        Cmd: ['echo "$GREETING from $(pwd) as $(id -u)"; trap "exit 3" USR1; while true; do sleep 0.1; done'],
        WorkingDir: '/srv/app',
        User: '1000:1000',
        Hostname: 'hc-box',
        Labels: { tier: 'api' },
        Tty: true,
        OpenStdin: true,
        StopSignal: 'SIGUSR1',
        StopTimeout: 1,
      });
      expect(await inside(h, id, 'hostname; id -u; id -g')).toBe('hc-box\n1000\n1000\n');
      const c = (await h.api('GET', `/containers/${id}/json`)).body as {
        Config: Record<string, unknown>;
        Path: string;
        Args: string[];
      };
      expect(c.Config).toMatchObject({
        Labels: { tier: 'api' },
        Tty: true,
        OpenStdin: true,
        StopSignal: 'SIGUSR1',
        StopTimeout: 1,
        WorkingDir: '/srv/app',
      });
      expect(c.Path).toBe('sh');
      // exec takes its own user, env and workdir, over the container's.
      const ran = await h.docker([
        'exec',
        '-u',
        'nobody',
        '-e',
        'X=y',
        '-w',
        '/tmp',
        id,
        'sh',
        '-c',
        'id -u; echo $X $GREETING; pwd',
      ]);
      expect(ran.stdout).toBe('65534\ny hi there\n/tmp\n');
      const logs = await h.docker(['logs', id]);
      expect(logs.stdout).toContain('hi there from /srv/app as 1000');
      // SIGUSR1 is the stop signal: the shell's trap exits 3, before the 1 s timeout would SIGKILL it.
      expect((await h.api('POST', `/containers/${id}/stop`)).status).toBe(204);
      expect((await h.inspect(id)).State.ExitCode).toBe(3);
    });

    it('a StopTimeout of the container bounds a stop whose signal is ignored, then SIGKILL', async () => {
      const h = harness();
      const { id } = await started(h, {
        Cmd: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done'],
        StopTimeout: 1,
      });
      expect((await h.api('POST', `/containers/${id}/stop`)).status).toBe(204);
      expect((await h.inspect(id)).State).toMatchObject({ Status: 'exited', ExitCode: 137 });
    });

    it('Memory, NanoCpus, CpuShares and PidsLimit become cgroup limits', async () => {
      const h = harness();
      const { pid } = await started(
        h,
        {},
        { Memory: 64 * 1024 * 1024, NanoCpus: 500_000_000, CpuShares: 512, PidsLimit: 50 },
      );
      expect(cgroupFile(pid, 'memory', 'memory.limit_in_bytes')).toBe(String(64 * 1024 * 1024));
      expect(cgroupFile(pid, 'cpu', 'cpu.cfs_quota_us')).toBe('50000');
      expect(cgroupFile(pid, 'cpu', 'cpu.cfs_period_us')).toBe('100000');
      expect(cgroupFile(pid, 'cpu', 'cpu.shares')).toBe('512');
      expect(cgroupFile(pid, 'pids', 'pids.max')).toBe('50');
    });

    it('ShmSize, Sysctls, Dns, Ulimits within the hard limit, and no-new-privileges when asked', async () => {
      const h = harness();
      const { id } = await started(
        h,
        {},
        {
          ShmSize: 32 * 1024 * 1024,
          Sysctls: { 'net.core.somaxconn': '1234', 'kernel.msgmax': '16384' },
          Dns: ['10.11.12.13'],
          DnsSearch: ['corp.example'],
          DnsOptions: ['ndots:2'],
          Ulimits: [{ Name: 'nofile', Soft: 256, Hard: 512 }],
          SecurityOpt: ['no-new-privileges'],
        },
      );
      expect(await inside(h, id, "grep ' /dev/shm ' /proc/mounts")).toMatch(/size=32768k/);
      expect(await inside(h, id, 'cat /proc/sys/net/core/somaxconn /proc/sys/kernel/msgmax')).toBe(
        '1234\n16384\n',
      );
      const resolv = await inside(h, id, 'cat /etc/resolv.conf');
      expect(resolv).toContain('nameserver 10.11.12.13');
      expect(resolv).toContain('search corp.example');
      expect(resolv).toContain('options ndots:2');
      expect(await inside(h, id, 'ulimit -n; ulimit -Hn')).toBe('256\n512\n');
      expect(await inside(h, id, 'grep NoNewPrivs /proc/self/status')).toBe('NoNewPrivs:\t1\n');
      // The host's own values are untouched: the sysctls went to the container's namespaces.
      expect(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim()).not.toBe('1234');
    });

    it('Privileged gives every capability and the host devices; CapAdd ALL with CapDrop narrows it', async () => {
      const h = harness();
      // Every capability the engine itself holds (this machine lacks CAP_SYS_RESOURCE).
      const all = /CapBnd:\t([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
      const { id } = await started(h, {}, { Privileged: true });
      expect(await inside(h, id, 'grep CapEff /proc/self/status')).toBe(`CapEff:\t${all}\n`);
      expect(
        await inside(
          h,
          id,
          'test -c /dev/kmsg && echo kmsg; mkdir /m && mount -t tmpfs t /m && echo mounted',
        ),
      ).toBe('kmsg\nmounted\n');
      const narrowed = await started(h, {}, { CapAdd: ['ALL'], CapDrop: ['NET_RAW'] });
      const eff = BigInt(
        `0x${(await inside(h, narrowed.id, 'grep CapEff /proc/self/status')).split('\t')[1]}`,
      );
      expect(eff & (1n << 13n)).toBe(0n); // CAP_NET_RAW
      expect(eff | (1n << 13n)).toBe(BigInt(`0x${all}`));
    });

    it('ReadonlyRootfs, Init, ExtraHosts and Mounts of type bind, volume and tmpfs', async () => {
      const h = harness();
      const volume = h.name('hc-vol');
      const { id } = await started(
        h,
        {},
        {
          ReadonlyRootfs: true,
          Init: true,
          ExtraHosts: ['db.example:10.1.1.1'],
          Mounts: [
            { Type: 'bind', Source: '/etc', Target: '/hostetc', ReadOnly: true },
            { Type: 'volume', Source: volume, Target: '/data' },
            { Type: 'tmpfs', Target: '/scratch', TmpfsOptions: { SizeBytes: 1024 * 1024 } },
          ],
        },
      );
      expect(
        await inside(
          h,
          id,
          'touch /x 2>/dev/null || echo ro; cat /proc/1/cmdline | tr "\\0" " "; echo; grep db.example /etc/hosts;' +
            'test -f /hostetc/hostname && echo bind; touch /hostetc/x 2>/dev/null || echo bind-ro;' +
            'echo v > /data/f && echo volume; grep " /scratch " /proc/mounts',
        ),
      ).toMatch(
        /^ro\n\/sbin\/docker-init -- sleep 300 \n10\.1\.1\.1\tdb\.example\nbind\nbind-ro\nvolume\ntmpfs \/scratch tmpfs .*size=1024k/,
      );
      const vols = (await h.api('GET', `/volumes/${volume}`)).body as { Name: string };
      expect(vols.Name).toBe(volume);
      await h.api('DELETE', `/containers/${id}?force=1`);
      expect((await h.api('DELETE', `/volumes/${volume}`)).status).toBe(204);
    });
  });
}

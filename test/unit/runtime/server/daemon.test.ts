import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatLogLine, openEngineLog } from '../../../../runtime/daemon/engine-log.js';
import { chooseOciRuntime, hybridControllers } from '../../../../runtime/daemon/oci-runtime.js';
import { acquirePidLock } from '../../../../runtime/daemon/pid-lock.js';
import { probeBundleConfig, probeOciRuntime } from '../../../../runtime/daemon/runtime-probe.js';
import { RecordingHost } from '../../../../runtime/host/recording-host.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-daemon-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HYBRID = [
  '30 24 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw',
  '31 30 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw',
  '32 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
].join('\n');
const PURE_V2 = '30 24 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw';

describe('OCI runtime choice', () => {
  const both = { crun: '/usr/bin/crun', runc: '/usr/sbin/runc' };

  it('finds the hybrid layout and its cgroup2 controllers', () => {
    expect(hybridControllers(HYBRID, () => 'hugetlb\n')).toEqual(['hugetlb']);
    expect(hybridControllers(HYBRID, () => '')).toEqual([]);
    expect(hybridControllers(PURE_V2, () => 'cpu memory')).toBeUndefined();
  });

  it('prefers crun, and falls back to runc with an explanation on a hybrid host crun refuses', () => {
    expect(chooseOciRuntime({ found: both }).name).toBe('crun');
    const hybrid = chooseOciRuntime({ found: both, hybridUnifiedControllers: ['hugetlb'] });
    expect(hybrid.name).toBe('runc');
    expect(hybrid.notes[0]).toMatch(/cgroups in hybrid mode not supported.*hugetlb.*--oci-runtime runc/s);
    expect(hybrid.available).toEqual({ crun: { path: both.crun }, runc: { path: both.runc } });
  });

  it('honours the configured runtime, and explains why crun cannot run here', () => {
    expect(chooseOciRuntime({ found: both }, 'runc')).toMatchObject({ name: 'runc', path: both.runc });
    expect(chooseOciRuntime({ found: both }, '/opt/crun')).toMatchObject({ name: 'crun', path: '/opt/crun' });
    expect(() => chooseOciRuntime({ found: both, hybridUnifiedControllers: ['hugetlb'] }, 'crun')).toThrow(
      /mount -t cgroup -o hugetlb/,
    );
    expect(() => chooseOciRuntime({ found: {} }, 'youki')).toThrow('OCI runtime "youki" not found on PATH');
    expect(() => chooseOciRuntime({ found: {} })).toThrow(/no usable OCI runtime/);
  });
});

describe('runtime probe', () => {
  it('reads the hybrid-cgroup refusal as a runtime that cannot run here', async () => {
    const refusing = new RecordingHost((_cmd, args) =>
      args.includes('run')
        ? { code: 1, stderr: 'cgroups in hybrid mode not supported, drop all controllers from cgroupv2' }
        : {},
    );
    expect(await probeOciRuntime(refusing, '/usr/bin/crun')).toMatchObject({ ok: false });
    const working = new RecordingHost(() => ({
      code: 1,
      stderr: 'executable file `/berth-runtime-probe` not found',
    }));
    expect(await probeOciRuntime(working, '/usr/bin/crun')).toMatchObject({ ok: true });
    expect(working.calls.map((c) => (c.op === 'run' ? c.args[2] : c.op))).toEqual(['run', 'delete']);
  });

  it('describes a bundle that fails at exec, after cgroups are set up', () => {
    const config = probeBundleConfig('berth-probe-1');
    expect(config.process.args).toEqual(['/berth-runtime-probe']);
    expect(config.linux.cgroupsPath).toBe('/berth-probe-1');
  });
});

describe('engine log', () => {
  it('formats lines as logfmt', () => {
    const line = formatLogLine(new Date(0), 'warn', 'took "long"', { ms: 5, who: 'a b' });
    expect(line).toBe('time="1970-01-01T00:00:00.000Z" level=warn msg="took \\"long\\"" ms=5 who="a b"\n');
  });

  it('drops lines below the level and rotates past the size bound', async () => {
    const path = join(dir, 'engine.log');
    const log = openEngineLog(path, { level: 'info', maxBytes: 200, now: () => 0 });
    log.log('debug', 'hidden');
    for (let i = 0; i < 5; i++) log.log('info', `line ${i}`);
    await log.close();
    const current = readFileSync(path, 'utf8');
    const previous = readFileSync(`${path}.1`, 'utf8');
    expect(current + previous).not.toContain('hidden');
    expect(current).toContain('line 4');
    expect(current.length).toBeLessThanOrEqual(200);
  });
});

describe('pid lock', () => {
  it('is exclusive while its holder is an engine, and taken over from a dead one', async () => {
    const path = join(dir, 'engine.pid');
    const release = await acquirePidLock(path, process.pid);
    // This test process is not an engine, so a second taker treats the lock as stale:
    // check the file content instead of a conflict.
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
    await release();
    const again = await acquirePidLock(path, 999_999_999);
    expect(readFileSync(path, 'utf8').trim()).toBe('999999999');
    await again();
  });
});

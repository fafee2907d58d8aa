import { describe, expect, it } from 'vitest';
import { type EngineFacts, infoBody } from '../../../../runtime/system/info-body.js';
import { goArch, type HostFacts, versionBody } from '../../../../runtime/system/version-body.js';

const host: HostFacts = {
  kernelVersion: '6.1.0-test',
  arch: 'amd64',
  machine: 'x86_64',
  operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
  hostname: 'box',
  ncpu: 2,
  memTotal: 4 * 1024 ** 3,
};

/** What the engine reports about itself, with `overrides`. */
const facts = (overrides: Partial<EngineFacts> = {}): EngineFacts => ({
  id: 'id-1',
  dataRoot: '/var/lib/berth',
  containers: { running: 2, paused: 1, stopped: 3 },
  images: 4,
  storageDriver: 'overlay2',
  runtime: { name: 'runc', available: { runc: { path: '/usr/sbin/runc' } } },
  cgroupVersion: '1',
  ipv4Forwarding: true,
  eventListeners: 1,
  openFiles: 12,
  systemTime: '2026-01-01T00:00:00.000Z',
  warnings: ['w'],
  ...overrides,
});

describe('/version and /info bodies', () => {
  it('maps Node architectures to Go names', () => {
    expect(goArch('x64')).toBe('amd64');
    expect(goArch('arm64')).toBe('arm64');
    expect(goArch('riscv64')).toBe('riscv64');
  });

  it('/version carries what clients negotiate with, and the runtime as a component', () => {
    const v = versionBody(host, { name: 'crun', version: '1.8.1' });
    expect(v).toMatchObject({ ApiVersion: '1.41', MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' });
    expect(v.KernelVersion).toBe('6.1.0-test');
    expect(v.Components.map((c) => [c.Name, c.Version])).toEqual([
      ['Engine', v.Version],
      ['crun', '1.8.1'],
    ]);
  });

  it('/info adds up container states and reports swarm inactive', () => {
    const info = infoBody(host, facts());
    expect(info).toMatchObject({
      Containers: 6,
      ContainersRunning: 2,
      ContainersPaused: 1,
      ContainersStopped: 3,
      Images: 4,
      Driver: 'overlay2',
      DriverStatus: expect.arrayContaining([['Supports d_type', 'true']]),
      DockerRootDir: '/var/lib/berth',
      CgroupVersion: '1',
      CgroupDriver: 'cgroupfs',
      DefaultRuntime: 'runc',
      Runtimes: { runc: { path: '/usr/sbin/runc' } },
      Swarm: { LocalNodeState: 'inactive' },
      OperatingSystem: 'Debian GNU/Linux 12 (bookworm)',
      Architecture: 'x86_64',
      NCPU: 2,
      NFd: 12,
      Name: 'box',
      Warnings: ['w'],
    });
  });

  it('/info names the storage driver the images live on', () => {
    const info = infoBody(host, facts({ storageDriver: 'vfs' }));
    expect(info.Driver).toBe('vfs');
    expect(info.DriverStatus).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { hostDevices, splitDevT } from '../../../../runtime/containers/host-devices.js';
import { buildOciSpec } from '../../../../runtime/oci/oci-spec.js';
import { SPEC_CASES } from '../oci/fixtures.js';

describe('host devices for privileged containers', () => {
  it('splits dev_t as glibc does, large numbers included', () => {
    expect(splitDevT(0x10bn)).toEqual({ major: 1, minor: 11 });
    // major 0x1234, minor 0x5678 in the kernel's split layout
    const rdev = (0x234n << 8n) | (0x1000n << 32n) | 0x78n | (0x5600n << 12n);
    expect(splitDevT(rdev)).toEqual({ major: 0x1234, minor: 0x5678 });
  });

  it('lists /dev/null as c 1:3 and leaves out pts, shm and the console', () => {
    const devices = hostDevices();
    expect(devices).toContainEqual(
      expect.objectContaining({ path: '/dev/null', type: 'c', major: 1, minor: 3 }),
    );
    expect(devices.some((d) => d.path.startsWith('/dev/pts/') || d.path === '/dev/console')).toBe(false);
  });

  it('puts them in linux.devices only when privileged', () => {
    const devices = [
      { path: '/dev/kmsg', type: 'c' as const, major: 1, minor: 11, fileMode: 0o644, uid: 0, gid: 0 },
    ];
    const plain = buildOciSpec({ ...SPEC_CASES.minimal, hostDevices: devices }) as {
      linux: Record<string, unknown>;
    };
    expect(plain.linux.devices).toBeUndefined();
    const priv = buildOciSpec({ ...SPEC_CASES.privileged, hostDevices: devices }) as {
      linux: Record<string, unknown>;
    };
    expect(priv.linux.devices).toEqual(devices);
  });
});

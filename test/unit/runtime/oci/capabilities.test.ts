import { describe, expect, it } from 'vitest';
import {
  capabilitiesFromMask,
  DEFAULT_CAPABILITIES,
  effectiveCapabilities,
  normalizeCapability,
} from '../../../../runtime/oci/capabilities.js';
import { defaultSeccompProfile } from '../../../../runtime/oci/seccomp-profile.js';
import { parseSignal } from '../../../../runtime/oci/signals.js';

describe('capabilities', () => {
  it("decodes Docker's default set from its CapEff mask, and a host's bounding set", () => {
    expect(capabilitiesFromMask('00000000a80425fb').sort()).toEqual([...DEFAULT_CAPABILITIES].sort());
    // This machine lacks CAP_SYS_RESOURCE: privileged containers must not ask for it.
    const host = capabilitiesFromMask('000001fffeffffff');
    expect(host).not.toContain('CAP_SYS_RESOURCE');
    expect(effectiveCapabilities([], [], true, host)).toEqual([...host].sort());
    expect(effectiveCapabilities(['ALL'], [], false, host)).not.toContain('CAP_SYS_RESOURCE');
  });
  it('normalizes names and applies drop ALL then add', () => {
    expect(normalizeCapability('net_admin')).toBe('CAP_NET_ADMIN');
    expect(() => normalizeCapability('FLY')).toThrow(/unknown capability/);
    expect(effectiveCapabilities(['CHOWN'], ['ALL'])).toEqual(['CAP_CHOWN']);
    const allButRaw = effectiveCapabilities(['ALL'], ['NET_RAW']);
    expect(allButRaw).not.toContain('CAP_NET_RAW');
    expect(allButRaw).toContain('CAP_SYS_ADMIN');
  });
  it('seccomp lets a granted capability use its syscalls', () => {
    const denied = (caps: string[]) => defaultSeccompProfile(caps).syscalls[0]?.names ?? [];
    expect(denied([])).toContain('mount');
    expect(denied(['CAP_SYS_ADMIN'])).not.toContain('mount');
    expect(denied(['CAP_SYS_PTRACE'])).not.toContain('ptrace');
    expect(denied([])).toContain('kexec_load');
  });
  it('parses signals as Docker accepts them', () => {
    expect([
      parseSignal('SIGTERM'),
      parseSignal('kill'),
      parseSignal('15'),
      parseSignal('SIGRTMIN+1'),
    ]).toEqual([15, 9, 15, 35]);
    expect(() => parseSignal('SIGNOPE')).toThrow(/Invalid signal/);
  });
});

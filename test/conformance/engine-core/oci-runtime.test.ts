import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectOciRuntime } from '../../../runtime/daemon/oci-runtime.js';
import { probeOciRuntime } from '../../../runtime/daemon/runtime-probe.js';
import { LinuxHost } from '../../../runtime/host/linux-host.js';
import { cgroupsNamed } from '../../support/leak-check.js';

const host = new LinuxHost();
const runtimes = ['/usr/bin/crun', '/usr/sbin/runc'].filter((p) => existsSync(p));

describe('OCI runtime detection on this machine', () => {
  it.each(runtimes)('the probe bundle runs through %s up to exec and leaves nothing behind', async (path) => {
    const result = await probeOciRuntime(host, path);
    expect(result.ok).toBe(true);
    // crun gets as far as exec; runc stops just before it (no /proc in the empty root).
    if (path.endsWith('crun')) expect(result.message).toMatch(/berth-runtime-probe/);
    expect(cgroupsNamed(['berth-probe-'])).toEqual([]);
  });

  it('chooses a runtime that works here, with its version', async () => {
    const choice = await detectOciRuntime(host);
    expect(['crun', 'runc']).toContain(choice.name);
    expect(choice.version).toMatch(/^\d+\.\d+/);
    expect((await probeOciRuntime(host, choice.path)).ok).toBe(true);
    expect(await detectOciRuntime(host, 'runc')).toMatchObject({ name: 'runc' });
  });
});

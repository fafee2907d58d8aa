import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LinuxHost } from '../../../runtime/host/linux-host.js';
import { Netavark } from '../../../runtime/network/netavark.js';

it('says netavark is missing in one line when its binary is not there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-nv-'));
  try {
    const netavark = new Netavark(new LinuxHost(), dir, join(dir, 'no-netavark'));
    const options = {
      container_id: 'x',
      container_name: 'x',
      port_mappings: [],
      networks: {},
      network_info: {},
    };
    await expect(netavark.setup(join(dir, 'netns'), options)).rejects.toThrow(
      `netavark not found at ${join(dir, 'no-netavark')} (install the netavark package)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

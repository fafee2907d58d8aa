import { withHostLock } from './host-lock.js';
import { allocateSubnet, parseCidr, routedSubnets } from './ipam.js';
import type { NetworkCore } from './network-core.js';
import { defaultBridgeRecord, networkSubnets, specialRecord } from './network-records.js';

/** Where engines on this machine serialize subnet choice. */
export const HOST_LOCK = '/run/berth-network.lock';

/** Creates `bridge`, `host` and `none` when missing (the bridge's subnet chosen under the host lock). */
export async function ensurePredefined(
  core: NetworkCore,
  newId: () => string,
  created: () => string,
): Promise<void> {
  const s = core.state;
  if (!s.networks.some((n) => n.Name === 'bridge')) {
    const record = await withHostLock(HOST_LOCK, async () => {
      const subnet = core.ctx.options.bridgeSubnet
        ? parseCidr(core.ctx.options.bridgeSubnet)
        : allocateSubnet(core.pools, [
            ...routedSubnets(await core.plumbing.routes()),
            ...networkSubnets(s.networks),
          ]);
      const n = defaultBridgeRecord(newId(), created(), core.bridgeName, subnet);
      s.networks.push(n);
      await core.save();
      await core.ensureBridge(n);
      return n;
    });
    core.ctx.log('info', 'default bridge network created', {
      bridge: record.bridge,
      subnet: record.subnet,
    });
  }
  for (const name of ['host', 'none'] as const) {
    if (!s.networks.some((n) => n.Name === name)) s.networks.push(specialRecord(newId(), created(), name));
  }
  await core.save();
}

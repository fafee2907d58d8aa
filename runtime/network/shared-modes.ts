import { join } from 'node:path';
import type { ContainerNetworkView, ContainerRegistry, NetworkAttachment } from '../contracts.js';
import { EngineError } from '../errors.js';
import { etcFor } from './endpoints.js';
import type { NetworkCore } from './network-core.js';
import type { AttachedContainer } from './network-state.js';

/** `host`, `none` and `container:<id>`: no interfaces of our own; `/etc` files still written. */
export async function attachShared(
  core: NetworkCore,
  containers: ContainerRegistry,
  view: ContainerNetworkView,
  mode: string,
): Promise<NetworkAttachment> {
  let netnsPath: string | undefined;
  let target: AttachedContainer | undefined;
  const record: AttachedContainer = {
    id: view.id,
    name: view.name.replace(/^\//, ''),
    hostname: view.hostname,
    mode: mode === 'host' ? 'host' : mode === 'none' ? 'none' : 'container',
    netns: '',
    endpoints: [],
    ports: [],
  };
  if (mode === 'host') netnsPath = 'host';
  if (mode.startsWith('container:')) {
    const ref = mode.slice('container:'.length);
    target = core.state.attached[containers.lookup(ref) ?? ''];
    netnsPath = target?.mode === 'host' ? 'host' : target?.netns || target?.joins;
    if (!netnsPath)
      throw new EngineError('conflict', `cannot join network of a non running container: ${ref}`);
    record.joins = netnsPath;
  }
  if (mode === 'none') {
    // A namespace of our own with loopback only, so `container:<this>` can join it.
    record.netns = join(core.netnsDir, view.id);
    netnsPath = record.netns;
  }
  core.state.attached[view.id] = record;
  await core.save();
  if (record.netns) {
    try {
      await core.plumbing.createNetns(record.netns);
    } catch (err) {
      await core.teardown(record);
      throw new EngineError('internal', `failed to create a network namespace: ${(err as Error).message}`);
    }
  }
  // The hostname maps to the shared namespace's address, or to 127.0.1.1 as Docker does without one.
  const etc = etcFor(core, target, view);
  const self: [string, ...string[]] = [target?.endpoints[0]?.ip ?? '127.0.1.1', view.hostname];
  const hosts = target?.endpoints.length ? etc.hosts : [self, ...etc.hosts];
  return { hosts, netnsPath, resolvConf: mode === 'host' ? core.hostResolvConf : etc.resolvConf };
}

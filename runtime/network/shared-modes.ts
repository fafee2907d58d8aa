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
  let kind: 'host' | 'none' | 'container' = mode === 'host' ? 'host' : 'none';
  let target: AttachedContainer | undefined;
  if (mode === 'host') netnsPath = 'host';
  if (mode.startsWith('container:')) {
    const ref = mode.slice('container:'.length);
    target = core.state.attached[containers.lookup(ref) ?? ''];
    if (!target) throw new EngineError('conflict', `cannot join network of a non running container: ${ref}`);
    netnsPath = target.mode === 'host' ? 'host' : target.netns || undefined;
    kind = 'container';
  }
  const name = view.name.replace(/^\//, '');
  core.state.attached[view.id] = {
    id: view.id,
    name,
    hostname: view.hostname,
    mode: kind,
    netns: '',
    endpoints: [],
    ports: [],
  };
  await core.save();
  // The hostname maps to the shared namespace's address, or to 127.0.1.1 as Docker does without one.
  const etc = etcFor(core, target, view);
  const self: [string, ...string[]] = [target?.endpoints[0]?.ip ?? '127.0.1.1', view.hostname];
  const hosts = target?.endpoints.length ? etc.hosts : [self, ...etc.hosts];
  return { hosts, netnsPath, resolvConf: mode === 'host' ? core.hostResolvConf : etc.resolvConf };
}

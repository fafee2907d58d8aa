import type { Filters } from '../query.js';
import { seg } from '../query.js';
import type { Transport } from '../transport.js';
import type { PruneResponse } from '../types/containers.js';
import type {
  NetworkConnectBody,
  NetworkCreateBody,
  NetworkDisconnectBody,
  NetworkInspect,
} from '../types/networks.js';
import type { WithSignal } from './shared.js';

/** `/networks`. */
export class NetworksApi {
  constructor(private readonly t: Transport) {}

  /** Networks, optionally filtered (`label`, `name`, `id`, `driver`, `scope`, `type`, `dangling`). */
  list(opts: { filters?: Filters } & WithSignal = {}): Promise<NetworkInspect[]> {
    return this.t.call('GET', '/networks', { query: { filters: opts.filters }, signal: opts.signal });
  }

  /** Creates a network; a taken name is a `conflict`. */
  create(body: NetworkCreateBody, opts: WithSignal = {}): Promise<{ Id: string; Warning?: string }> {
    return this.t.call('POST', '/networks/create', { json: body, kind: 'mutation', signal: opts.signal });
  }

  /** One network by ID or name. */
  inspect(id: string, opts: { verbose?: boolean } & WithSignal = {}): Promise<NetworkInspect> {
    return this.t.call('GET', `/networks/${seg(id)}`, {
      query: { verbose: opts.verbose },
      signal: opts.signal,
    });
  }

  /** Connects a container (with aliases, static addresses in `EndpointConfig.IPAMConfig`). */
  async connect(id: string, body: NetworkConnectBody, opts: WithSignal = {}): Promise<void> {
    await this.t.call('POST', `/networks/${seg(id)}/connect`, {
      json: body,
      kind: 'mutation',
      signal: opts.signal,
    });
  }

  /** Disconnects a container. */
  async disconnect(id: string, body: NetworkDisconnectBody, opts: WithSignal = {}): Promise<void> {
    await this.t.call('POST', `/networks/${seg(id)}/disconnect`, {
      json: body,
      kind: 'mutation',
      signal: opts.signal,
    });
  }

  /** Removes a network; one with endpoints is a `conflict` (or `engine` on some engines). */
  async remove(id: string, opts: WithSignal = {}): Promise<void> {
    await this.t.call('DELETE', `/networks/${seg(id)}`, { kind: 'mutation', signal: opts.signal });
  }

  /** Removes unused networks matching the filters (`label`, `until`). */
  prune(filters?: Filters, opts: WithSignal = {}): Promise<PruneResponse> {
    return this.t.call('POST', '/networks/prune', {
      query: { filters },
      kind: 'mutation',
      signal: opts.signal,
    });
  }
}

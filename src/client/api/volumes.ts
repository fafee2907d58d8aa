import type { Filters } from '../query.js';
import { seg } from '../query.js';
import type { Transport } from '../transport.js';
import type { PruneResponse } from '../types/containers.js';
import type { VolumeCreateBody, VolumeInspect, VolumeList } from '../types/volumes.js';
import type { WithSignal } from './shared.js';

/** `/volumes`. */
export class VolumesApi {
  constructor(private readonly t: Transport) {}

  /** Volumes, optionally filtered (`label`, `name`, `driver`, `dangling`). */
  list(opts: { filters?: Filters } & WithSignal = {}): Promise<VolumeList> {
    return this.t.call('GET', '/volumes', { query: { filters: opts.filters }, signal: opts.signal });
  }

  /** Creates a volume (creating an existing name returns it unchanged, as Docker does). */
  create(body: VolumeCreateBody, opts: WithSignal = {}): Promise<VolumeInspect> {
    return this.t.call('POST', '/volumes/create', { json: body, kind: 'mutation', signal: opts.signal });
  }

  /** One volume by name. */
  inspect(name: string, opts: WithSignal = {}): Promise<VolumeInspect> {
    return this.t.call('GET', `/volumes/${seg(name)}`, { signal: opts.signal });
  }

  /** Removes a volume; one in use is a `conflict`. */
  async remove(name: string, opts: { force?: boolean } & WithSignal = {}): Promise<void> {
    await this.t.call('DELETE', `/volumes/${seg(name)}`, {
      query: { force: opts.force },
      kind: 'mutation',
      signal: opts.signal,
    });
  }

  /** Removes unused volumes (API >= 1.42: only anonymous ones unless `all: ['true']`). */
  prune(filters?: Filters, opts: WithSignal = {}): Promise<PruneResponse> {
    return this.t.call('POST', '/volumes/prune', {
      query: { filters },
      kind: 'mutation',
      signal: opts.signal,
    });
  }
}

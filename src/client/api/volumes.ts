import type { Filters } from '../query.js';
import { seg } from '../query.js';
import type { Transport } from '../transport.js';
import type { PruneResponse } from '../types/containers.js';
import type { VolumeCreateBody, VolumeInspect, VolumeList } from '../types/volumes.js';
import { compareVersions } from '../version.js';
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

  /**
   * Removes unused volumes. From API 1.42 only anonymous ones unless `all: ['true']`; older
   * engines always remove named ones too and reject the `all` filter, so it is dropped for them.
   */
  async prune(filters?: Filters, opts: WithSignal = {}): Promise<PruneResponse> {
    let sent = filters;
    if (filters?.all && compareVersions(await this.t.apiVersion(opts.signal), '1.42') < 0) {
      const { all: _all, ...rest } = filters;
      sent = rest;
    }
    return this.t.call('POST', '/volumes/prune', {
      query: { filters: sent },
      kind: 'mutation',
      signal: opts.signal,
    });
  }
}

import type { Filters } from '../query.js';
import { jsonLines } from '../streams/progress.js';
import type { Transport } from '../transport.js';
import type { EngineEvent } from '../types/events.js';
import type { PingResult, SystemInfo, VersionResponse } from '../types/system.js';
import { streamErrors, type TimeArg, timeParam, type WithSignal } from './shared.js';

/** Options of {@link SystemApi.events}. */
export interface EventsOptions extends WithSignal {
  /** `type`, `event`, `container`, `image`, `label`, `network`, `volume`... */
  filters?: Filters;
  /** Replay events from this time on first. */
  since?: TimeArg;
  /** End the stream at this time. */
  until?: TimeArg;
}

/** `/_ping`, `/version`, `/info`, `/events`. */
export class SystemApi {
  constructor(private readonly t: Transport) {}

  /** Checks the engine answers; reports its newest API version. */
  async ping(opts: WithSignal = {}): Promise<PingResult> {
    const res = await this.t.stream('GET', '/_ping', {
      unversioned: true,
      kind: 'metadata',
      signal: opts.signal,
    });
    res.resume();
    const h = res.headers;
    const str = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);
    return {
      apiVersion: str(h['api-version']),
      osType: str(h.ostype),
      builderVersion: str(h['builder-version']),
      experimental: h['docker-experimental'] === 'true',
    };
  }

  /** Engine and component versions. */
  version(opts: WithSignal = {}): Promise<VersionResponse> {
    return this.t.call('GET', '/version', { signal: opts.signal });
  }

  /** System-wide information. */
  info(opts: WithSignal = {}): Promise<SystemInfo> {
    return this.t.call('GET', '/info', { signal: opts.signal });
  }

  /**
   * Engine events as they happen (or between `since` and `until`). Runs until `until` passes,
   * the signal aborts, or the loop is left.
   */
  async *events(opts: EventsOptions = {}): AsyncGenerator<EngineEvent> {
    const query = { filters: opts.filters, since: timeParam(opts.since), until: timeParam(opts.until) };
    const res = await this.t.stream('GET', '/events', { query, signal: opts.signal });
    yield* jsonLines<EngineEvent>(res, 'GET /events', streamErrors(this.t, 'GET /events', opts.signal));
  }
}

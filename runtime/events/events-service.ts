import type { ApiRequest, ApiResponse, Route } from '../api/route.js';
import type { EngineContext } from '../context.js';
import type { Subsystem } from '../contracts.js';
import { invalid } from '../errors.js';
import type { EngineEvent } from './event-bus.js';
import { checkEventFilters, matchEvent } from './event-filter.js';

/**
 * Parses `since`/`until` as dockerd does: Unix seconds with an optional fraction
 * (`1700000000.123456789`), or an RFC 3339 time. Returns nanoseconds, or undefined when absent.
 */
export function parseEventTime(name: string, raw: string | null): bigint | undefined {
  if (raw === null || raw === '') return undefined;
  const m = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(raw.trim());
  if (m) return BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw invalid(`invalid value for ${name}: ${JSON.stringify(raw)}`);
  return BigInt(ms) * 1_000_000n;
}

/** `GET /events`: past events from `since`, then live ones until `until` or the client leaves. */
export class EventsService implements Subsystem {
  private listeners = 0;

  constructor(private readonly ctx: EngineContext) {}

  async init(): Promise<void> {}

  async shutdown(): Promise<void> {}

  /** How many clients follow the stream now (`/info` `NEventsListener`). */
  listenerCount(): number {
    return this.listeners;
  }

  routes(): Route[] {
    return [{ method: 'GET', path: '/events', handler: (req, res) => this.serve(req, res) }];
  }

  private async serve(req: ApiRequest, res: ApiResponse): Promise<void> {
    const filters = req.filters();
    checkEventFilters(filters);
    const since = parseEventTime('since', req.query.get('since'));
    const until = parseEventTime('until', req.query.get('until'));
    const nowNs = BigInt(this.ctx.now()) * 1_000_000n;
    if (since !== undefined && until !== undefined && since > until) {
      throw invalid('since time must be before until time');
    }
    const out = res.stream(200, 'application/json');
    const inWindow = (e: EngineEvent) => until === undefined || BigInt(e.timeNano) <= until;
    const send = (e: EngineEvent) => {
      if (matchEvent(e, filters) && inWindow(e)) out.write(`${JSON.stringify(e)}\n`);
    };
    // Subscribe before replaying, so nothing emitted in between is lost; replayed ones are skipped.
    const live: EngineEvent[] = [];
    let replaying = true;
    const unsubscribe = this.ctx.events.subscribe((e) => (replaying ? live.push(e) : send(e)));
    this.listeners++;
    try {
      const past =
        since === undefined ? [] : this.ctx.events.since(Number(since)).filter((e) => !live.includes(e));
      for (const e of [...past, ...live]) send(e);
      replaying = false;
      if (until !== undefined && until <= nowNs) return;
      await new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        // Timers cap at ~24.8 days; a later `until` is waited for in steps.
        const arm = () => {
          if (until === undefined) return;
          const left = Number(until / 1_000_000n) - this.ctx.now();
          if (left < 0) resolve();
          else timer = setTimeout(arm, Math.min(left + 1, 2 ** 31 - 1));
        };
        arm();
        req.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } finally {
      unsubscribe();
      this.listeners--;
      out.end();
    }
  }
}

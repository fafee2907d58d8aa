import { readText } from '../body.js';
import { malformedResponse } from '../errors.js';
import type { Filters } from '../query.js';
import { seg } from '../query.js';
import type {
  ContainerCreateBody,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerTop,
  ContainerWaitResponse,
  PruneResponse,
} from '../types/containers.js';
import { ContainerStreams } from './container-streams.js';
import { PendingWaits } from './pending-waits.js';
import { streamErrors, type WithSignal } from './shared.js';
import { stopWithSignal } from './stop-with-signal.js';

/** Options of stop and restart. `signal` is a stop signal name (`SIGINT`) or an AbortSignal. */
export interface StopOptions {
  /** Seconds to wait before SIGKILL (default: the container's StopTimeout, else 10). */
  t?: number;
  /** The stop signal (`SIGINT`, overriding the container's), or an AbortSignal for the call. */
  signal?: string | AbortSignal;
  /** Cancels the call (for use together with a signal name in `signal`). */
  abortSignal?: AbortSignal;
}

/** Options of wait. */
export interface WaitOptions extends WithSignal {
  /** `not-running` (default; at once for a stopped container), `next-exit`, or `removed`. */
  condition?: 'not-running' | 'next-exit' | 'removed';
}

/** Options of kill. `signal` is the signal to send (default SIGKILL) or an AbortSignal. */
export interface KillOptions {
  /** The signal to send (`SIGHUP`, `9`; default SIGKILL), or an AbortSignal for the call. */
  signal?: string | AbortSignal;
  /** Cancels the call (for use together with a signal name in `signal`). */
  abortSignal?: AbortSignal;
}

function split(opts: { signal?: string | AbortSignal; abortSignal?: AbortSignal }) {
  const name = typeof opts.signal === 'string' ? opts.signal : undefined;
  const abort = opts.abortSignal ?? (typeof opts.signal === 'object' ? opts.signal : undefined);
  return { name, abort };
}

/** `/containers`. Logs, attach and archives are inherited from {@link ContainerStreams}. */
export class ContainersApi extends ContainerStreams {
  private readonly pendingWaits = new PendingWaits();

  /** Containers (running only unless `all`), filtered by `label`, `name`, `status`, `id`... */
  list(
    opts: { all?: boolean; filters?: Filters; limit?: number; size?: boolean } & WithSignal = {},
  ): Promise<ContainerSummary[]> {
    const { signal, ...query } = opts;
    return this.t.call('GET', '/containers/json', { query, signal });
  }

  /** Creates a container; a taken name is a `conflict`, a missing image `not-found`. */
  create(
    body: ContainerCreateBody,
    opts: { name?: string } & WithSignal = {},
  ): Promise<ContainerCreateResponse> {
    const { platform, ...config } = body;
    return this.t.call('POST', '/containers/create', {
      query: { name: opts.name, platform },
      json: config,
      kind: 'mutation',
      signal: opts.signal,
    });
  }

  /** One container by ID, ID prefix or name. */
  inspect(id: string, opts: { size?: boolean } & WithSignal = {}): Promise<ContainerInspect> {
    return this.t.call('GET', `/containers/${seg(id)}/json`, {
      query: { size: opts.size },
      signal: opts.signal,
    });
  }

  /** Starts a container; one already running is `not-modified`. */
  async start(id: string, opts: WithSignal = {}): Promise<void> {
    await this.pendingWaits.settled(id, Math.min(this.t.timeouts.metadata, 5_000));
    await this.t.call('POST', `/containers/${seg(id)}/start`, { kind: 'mutation', signal: opts.signal });
  }

  /** Stops a container (stop signal, then SIGKILL after `t` seconds); a stopped one is `not-modified`. */
  async stop(id: string, opts: StopOptions = {}): Promise<void> {
    const { name, abort } = split(opts);
    if (name && (await this.apiBelow('1.42', abort))) return stopWithSignal(this, id, name, opts.t, abort);
    await this.t.call('POST', `/containers/${seg(id)}/stop`, {
      query: { t: opts.t, signal: name },
      kind: this.graceKind(opts.t),
      signal: abort,
    });
  }

  /** Restarts a container (stopping it first as {@link stop} does). */
  async restart(id: string, opts: StopOptions = {}): Promise<void> {
    const { name, abort } = split(opts);
    if (name && (await this.apiBelow('1.42', abort))) {
      await stopWithSignal(this, id, name, opts.t, abort).catch((err) => {
        if ((err as { kind?: string }).kind !== 'not-modified') throw err;
      });
      return this.start(id, { signal: abort });
    }
    await this.t.call('POST', `/containers/${seg(id)}/restart`, {
      query: { t: opts.t, signal: name },
      kind: this.graceKind(opts.t),
      signal: abort,
    });
  }

  /** Sends a signal (default SIGKILL); a container not running is a `conflict`. */
  async kill(id: string, opts: KillOptions = {}): Promise<void> {
    const { name, abort } = split(opts);
    await this.t.call('POST', `/containers/${seg(id)}/kill`, {
      query: { signal: name },
      kind: 'mutation',
      signal: abort,
    });
  }

  /** Freezes every process of the container. */
  async pause(id: string, opts: WithSignal = {}): Promise<void> {
    await this.t.call('POST', `/containers/${seg(id)}/pause`, { kind: 'mutation', signal: opts.signal });
  }

  /** Thaws a paused container. */
  async unpause(id: string, opts: WithSignal = {}): Promise<void> {
    await this.t.call('POST', `/containers/${seg(id)}/unpause`, { kind: 'mutation', signal: opts.signal });
  }

  /** Waits (without a timeout) until the container reaches `condition` (default `not-running`). */
  async wait(id: string, opts: WaitOptions = {}): Promise<ContainerWaitResponse> {
    return (await this.registerWait(id, opts)).result;
  }

  /**
   * Starts a wait and resolves once the engine has registered it (Docker answers the headers at
   * that point), so a `next-exit` wait set up before `start` cannot miss a quick exit.
   */
  async registerWait(
    id: string,
    opts: WaitOptions = {},
  ): Promise<{ result: Promise<ContainerWaitResponse> }> {
    const path = `/containers/${seg(id)}/wait`;
    const registration = this.t.stream('POST', path, {
      query: { condition: opts.condition },
      signal: opts.signal,
    });
    this.pendingWaits.track(id, registration);
    const res = await registration;
    const result = readText(res).then(
      (text) => {
        try {
          return JSON.parse(text) as ContainerWaitResponse;
        } catch {
          throw malformedResponse(`POST ${path}`, `expected JSON, got ${JSON.stringify(text.slice(0, 80))}`);
        }
      },
      (err: unknown) => {
        throw streamErrors(this.t, `POST ${path}`, opts.signal)(err);
      },
    );
    // Nobody may be listening yet: the rejection is reported to whoever awaits `result`.
    result.catch(() => {});
    return { result };
  }

  /** Removes a container (`force` kills it first, `v` removes its anonymous volumes). */
  async remove(
    id: string,
    opts: { force?: boolean; v?: boolean; link?: boolean } & WithSignal = {},
  ): Promise<void> {
    const { signal, ...query } = opts;
    await this.t.call('DELETE', `/containers/${seg(id)}`, { query, kind: 'mutation', signal });
  }

  /** The container's processes (`ps` output); `psArgs` defaults to `-ef`. */
  top(id: string, psArgs?: string, opts: WithSignal = {}): Promise<ContainerTop> {
    return this.t.call('GET', `/containers/${seg(id)}/top`, {
      query: { ps_args: psArgs },
      signal: opts.signal,
    });
  }

  /** Renames a container; a taken name is a `conflict`. */
  async rename(id: string, name: string, opts: WithSignal = {}): Promise<void> {
    await this.t.call('POST', `/containers/${seg(id)}/rename`, {
      query: { name },
      kind: 'mutation',
      signal: opts.signal,
    });
  }

  /** Resizes the container's TTY. */
  async resize(id: string, size: { h: number; w: number }, opts: WithSignal = {}): Promise<void> {
    await this.t.call('POST', `/containers/${seg(id)}/resize`, {
      query: size,
      kind: 'mutation',
      signal: opts.signal,
    });
  }

  /** One resource-usage sample (`docker stats --no-stream`). */
  stats(id: string, opts: WithSignal = {}): Promise<Record<string, unknown>> {
    return this.t.call('GET', `/containers/${seg(id)}/stats`, {
      query: { stream: false },
      signal: opts.signal,
    });
  }

  /** Removes stopped containers matching the filters (`label`, `until`). */
  prune(filters?: Filters, opts: WithSignal = {}): Promise<PruneResponse> {
    return this.t.call('POST', '/containers/prune', {
      query: { filters },
      kind: 'mutation',
      signal: opts.signal,
    });
  }

  /** Stop and restart may take their grace period on top of the mutation timeout; `t < 0` waits forever. */
  private graceKind(t: number | undefined): 'mutation' | 'stream' | number {
    if (t === undefined) return 'mutation';
    return t < 0 ? 'stream' : this.t.timeouts.mutation + t * 1000;
  }
}

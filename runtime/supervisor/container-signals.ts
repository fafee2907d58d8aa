import type { Host } from '../host/host.js';
import type { RuntimeCli } from '../oci/runtime-cli.js';
import { parseSignal } from '../oci/signals.js';

/** What a signal needs to know of a container. */
export interface SignalTarget {
  Id: string;
  State: { Status: string; Pid: number };
  Config: { StopSignal?: string };
}

/**
 * Delivers signals to containers' init processes. While the init runs its host PID is known and
 * is signalled directly — what `crun kill` does, without forking a runtime per signal (a fork
 * per container was most of twenty concurrent stops). Once its exit is seen, the PID may belong
 * to someone else: the runtime is asked instead, and answers for a gone container.
 */
export class ContainerSignals {
  /** Containers whose exit is seen but not yet recorded. */
  private readonly exiting = new Set<string>();

  constructor(
    private readonly host: Host,
    private readonly runtime: RuntimeCli,
  ) {}

  /** The container's init has exited (its PID is no longer its own). */
  exitSeen(id: string): void {
    this.exiting.add(id);
  }

  /** The exit is recorded (the record's PID is 0 again). */
  exitRecorded(id: string): void {
    this.exiting.delete(id);
  }

  /** Sends `sig`; a frozen container is thawed for a signal that ends it, as Docker does. */
  async send(c: SignalTarget, sig: number): Promise<void> {
    const direct = c.State.Pid > 0 && !this.exiting.has(c.Id) && this.host.signal(c.State.Pid, sig);
    if (!direct) await this.runtime.kill(c.Id, String(sig));
    const ends = sig === 9 || sig === 15 || sig === parseSignal(c.Config.StopSignal || 'TERM');
    if (c.State.Status === 'paused' && ends) {
      await this.runtime.resume(c.Id).catch(() => undefined);
      c.State.Status = 'running';
    }
  }
}

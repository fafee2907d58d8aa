import type { EngineContext } from '../context.js';
import { internal } from '../errors.js';
import type { RuntimeCli } from '../oci/runtime-cli.js';
import { parseSignal } from '../oci/signals.js';
import { type ExitRecord, watchExit } from '../supervisor/exit-watcher.js';
import { initialHealth } from '../supervisor/health-state.js';
import { normalizeRestartPolicy, type RestartPolicy, restartDecision } from '../supervisor/restart-policy.js';
import { type ContainerRecord, eventAttributes } from './container-record.js';
import type { ContainerRunner } from './container-runner.js';
import type { ContainerStore } from './container-store.js';
import { canKill, canPause, canStart, canStop, canUnpause } from './state-machine.js';
import { type WaitCondition, Waiters } from './waiters.js';

/** Who else reacts to starts and exits (the health monitor). */
export interface LifecycleHooks {
  started(c: ContainerRecord): void;
  exited(c: ContainerRecord): void;
  /** Whether the container has a healthcheck (its health state starts as `starting`). */
  hasHealthcheck(c: ContainerRecord): boolean;
}

/** Docker's default stop timeout in seconds. */
export const DEFAULT_STOP_TIMEOUT = 10;

/**
 * Start, stop, kill, pause and exits with the restart policy: the container state machine's
 * effects. Operations on one container are serialized; exits are handled as they come.
 */
export class Lifecycle {
  readonly waiters = new Waiters();
  private readonly watches = new Map<string, () => void>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private shuttingDown = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly store: ContainerStore,
    private readonly runner: ContainerRunner,
    private readonly runtime: RuntimeCli,
    private readonly hooks: LifecycleHooks,
  ) {}

  /** Runs `fn` after every earlier operation on the same container has finished. */
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(id, tail);
    void tail.then(() => {
      if (this.locks.get(id) === tail) this.locks.delete(id);
    });
    return next;
  }

  private nowIso(): string {
    return new Date(this.ctx.now()).toISOString();
  }

  private emit(c: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.ctx.events.emit('container', action, c.Id, eventAttributes(c, extra));
  }

  /** A client start: clears the manual-stop mark and the restart count, as Docker does. */
  start(c: ContainerRecord): Promise<void> {
    return this.withLock(c.Id, async () => {
      canStart(c.State.Status, c.Id);
      c.ManuallyStopped = false;
      c.RestartCount = 0;
      c.LastRestartDelayMs = 0;
      await this.run(c);
    });
  }

  /** Starts the process and records it; on failure the error is kept in `State.Error`. */
  async run(c: ContainerRecord): Promise<void> {
    try {
      const { pid, conmonPid } = await this.runner.start(c);
      c.State = {
        ...c.State,
        Status: 'running',
        Pid: pid,
        ExitCode: 0,
        Error: '',
        OOMKilled: false,
        StartedAt: this.nowIso(),
        ...(this.hooks.hasHealthcheck(c) ? { Health: initialHealth() } : {}),
      };
      c.ConmonPid = conmonPid;
      c.StartedBefore = true;
      await this.store.save(c);
      this.emit(c, 'start');
      this.watch(c);
      this.hooks.started(c);
    } catch (err) {
      const message = (err as Error).message;
      c.State = {
        ...c.State,
        Status: c.StartedBefore ? 'exited' : c.State.Status === 'restarting' ? 'exited' : c.State.Status,
        Error: message,
        ExitCode: startFailureCode(message),
      };
      await this.store.save(c);
      throw err;
    }
  }

  /** Follows conmon's exit file for a running container (also one adopted after an engine restart). */
  watch(c: ContainerRecord): void {
    this.watches.get(c.Id)?.();
    const p = this.runner.paths(c.Id);
    this.watches.set(
      c.Id,
      watchExit(p.exitDir, p.exitFile, p.persistDir, (exit) => {
        this.watches.delete(c.Id);
        void this.exited(c.Id, exit).catch((err) =>
          this.ctx.log('error', 'exit handling failed', { id: c.Id, error: String(err) }),
        );
      }),
    );
  }

  /** Records an exit, cleans up, and applies the restart policy and AutoRemove. */
  async exited(id: string, exit: ExitRecord): Promise<void> {
    const c = this.store.byFullId(id);
    if (!c || this.shuttingDown) return;
    const ranForMs = this.ctx.now() - Date.parse(c.State.StartedAt);
    // The exit is seen after the container's last log line was written, but the clock has only
    // milliseconds: the end of this millisecond is never before that line, so `logs --since
    // <FinishedAt>` (how a follower resumes after a restart) replays nothing of this run.
    const finishedAt = this.nowIso().replace(/Z$/, '999999Z');
    // The status changes only after cleanup: a stop arriving meanwhile still sees a running
    // container, waits for this exit, and its manual-stop mark is read below.
    await this.runner
      .cleanup(c)
      .catch((err) => this.ctx.log('warn', 'cleanup after exit failed', { id, error: String(err) }));
    c.State = {
      ...c.State,
      Status: 'exited',
      Pid: 0,
      ExitCode: exit.code,
      OOMKilled: exit.oomKilled,
      FinishedAt: finishedAt,
    };
    const policy = normalizeRestartPolicy(c.HostConfig.RestartPolicy) as RestartPolicy;
    const decision = restartDecision({
      policy,
      exitCode: exit.code,
      restartCount: c.RestartCount,
      manuallyStopped: c.ManuallyStopped,
      ranForMs,
      previousDelayMs: c.LastRestartDelayMs,
    });
    if (decision.restart) {
      c.State.Status = 'restarting';
      c.LastRestartDelayMs = decision.delayMs;
    } else if (ranForMs >= 10_000) c.LastRestartDelayMs = 0;
    await this.store.save(c);
    if (exit.oomKilled) this.emit(c, 'oom');
    this.emit(c, 'die', { exitCode: String(exit.code) });
    this.hooks.exited(c);
    this.waiters.exited(c);
    if (decision.restart) this.scheduleRestart(c, decision.delayMs);
    else if (c.HostConfig.AutoRemove) this.autoRemove?.(c);
  }

  /** Set by the service: removes an AutoRemove container after its exit. */
  autoRemove?: (c: ContainerRecord) => void;

  private scheduleRestart(c: ContainerRecord, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(c.Id);
      void this.withLock(c.Id, async () => {
        if (this.store.byFullId(c.Id) !== c || c.State.Status !== 'restarting' || this.shuttingDown) return;
        // A stop or kill that raced with the exit wins: the policy is suspended.
        if (c.ManuallyStopped) {
          await this.settleStopped(c);
          return;
        }
        c.RestartCount++;
        await this.run(c);
        this.emit(c, 'restart');
      }).catch((err) => this.ctx.log('warn', 'policy restart failed', { id: c.Id, error: String(err) }));
    }, delayMs);
    this.timers.set(c.Id, timer);
  }

  /** Cancels a pending policy restart; true when one was pending. */
  cancelRestart(c: ContainerRecord): boolean {
    const t = this.timers.get(c.Id);
    if (t) clearTimeout(t);
    this.timers.delete(c.Id);
    return !!t;
  }

  /** Stop: the stop signal, SIGKILL after the timeout (`t` > StopTimeout > 10 s; negative waits forever). */
  stop(c: ContainerRecord, timeoutSec?: number, signal?: string): Promise<void> {
    return this.withLock(c.Id, async () => {
      canStop(c.State.Status);
      await this.stopLocked(c, timeoutSec, signal);
    });
  }

  async stopLocked(c: ContainerRecord, timeoutSec?: number, signal?: string): Promise<void> {
    c.ManuallyStopped = true;
    if (c.State.Status === 'restarting' || this.cancelRestart(c)) {
      c.State.Status = 'exited';
      await this.store.save(c);
      this.waiters.exited(c);
      this.emit(c, 'stop');
      return;
    }
    await this.store.save(c);
    const sig = parseSignal(signal || c.Config.StopSignal || 'SIGTERM');
    const exited = this.waiters.nextExit(c.Id);
    await this.signal(c, sig);
    const timeout = timeoutSec ?? c.Config.StopTimeout ?? DEFAULT_STOP_TIMEOUT;
    if (timeout >= 0 && !(await settlesWithin(exited, timeout * 1000))) {
      await this.signal(c, 9);
      if (!(await settlesWithin(exited, 30_000)))
        throw internal(`container ${c.Id.slice(0, 12)} did not exit after SIGKILL`);
    }
    await exited;
    // The container may have exited on its own just before our signal, and its exit scheduled a
    // policy restart before the manual-stop mark was seen: the stop wins.
    if (statusOf(c) === 'restarting') await this.settleStopped(c);
    this.emit(c, 'stop');
  }

  /** Ends a pending policy restart: the container stays exited. */
  private async settleStopped(c: ContainerRecord): Promise<void> {
    this.cancelRestart(c);
    c.State.Status = 'exited';
    await this.store.save(c);
    this.waiters.exited(c);
  }

  /** Kill: a signal (default SIGKILL); suspends the restart policy as Docker's kill does. */
  kill(c: ContainerRecord, signal?: string): Promise<void> {
    return this.withLock(c.Id, async () => {
      if (c.State.Status === 'restarting') {
        c.ManuallyStopped = true;
        this.cancelRestart(c);
        c.State.Status = 'exited';
        await this.store.save(c);
        this.waiters.exited(c);
        return;
      }
      canKill(c.State.Status, c.Id);
      const sig = parseSignal(signal || 'SIGKILL');
      c.ManuallyStopped = true;
      await this.store.save(c);
      // As Docker's kill: SIGKILL returns once the exit is recorded, other signals at once.
      const exited = sig === 9 ? this.waiters.nextExit(c.Id) : undefined;
      await this.signal(c, sig);
      if (exited) await settlesWithin(exited, 10_000);
    });
  }

  /** SIGKILL and wait for the exit to be recorded (forced removal); caller holds the lock. */
  async killAndWait(c: ContainerRecord): Promise<void> {
    c.ManuallyStopped = true;
    const exited = this.waiters.nextExit(c.Id);
    await this.signal(c, 9);
    if (!(await settlesWithin(exited, 30_000)))
      throw internal(`container ${c.Id.slice(0, 12)} did not exit after SIGKILL`);
  }

  private async signal(c: ContainerRecord, sig: number): Promise<void> {
    this.emit(c, 'kill', { signal: String(sig) });
    await this.runtime.kill(c.Id, String(sig));
    // A frozen process cannot act on a signal: thaw it (Docker does the same for stop/kill).
    if (
      c.State.Status === 'paused' &&
      (sig === 9 || sig === 15 || sig === parseSignal(c.Config.StopSignal || 'TERM'))
    ) {
      await this.runtime.resume(c.Id).catch(() => undefined);
      c.State.Status = 'running';
    }
  }

  pause(c: ContainerRecord): Promise<void> {
    return this.withLock(c.Id, async () => {
      canPause(c.State.Status, c.Id);
      await this.runtime.pause(c.Id);
      c.State.Status = 'paused';
      await this.store.save(c);
      this.emit(c, 'pause');
    });
  }

  unpause(c: ContainerRecord): Promise<void> {
    return this.withLock(c.Id, async () => {
      canUnpause(c.State.Status, c.Id);
      await this.runtime.resume(c.Id);
      c.State.Status = 'running';
      await this.store.save(c);
      this.emit(c, 'unpause');
    });
  }

  /** Resolves per Docker's wait conditions. */
  wait(
    c: ContainerRecord,
    condition: WaitCondition,
    signal: AbortSignal,
  ): Promise<ContainerRecord | undefined> {
    return this.waiters.wait(c, condition, signal);
  }

  /** Stops following exits and pending restarts; containers keep running under conmon. */
  shutdown(): void {
    this.shuttingDown = true;
    for (const stop of this.watches.values()) stop();
    for (const t of this.timers.values()) clearTimeout(t);
    this.watches.clear();
    this.timers.clear();
  }

  /** Stops following a container (before removal). */
  unwatch(id: string): void {
    this.watches.get(id)?.();
    this.watches.delete(id);
  }
}

/** The exit code Docker records for a failed start: 127 not found, 126 not executable, else 128. */
export function startFailureCode(message: string): number {
  if (/executable file .*not found|no such file or directory/i.test(message)) return 127;
  if (/permission denied/i.test(message)) return 126;
  return 128;
}

/** The current status (a call, so the compiler does not keep a narrowing from before an await). */
const statusOf = (c: ContainerRecord) => c.State.Status;

/** True when `p` settles within `ms`. */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    p.then(
      () => {
        clearTimeout(t);
        resolve(true);
      },
      () => {
        clearTimeout(t);
        resolve(true);
      },
    );
  });
}

import type { EngineContext } from '../context.js';
import { internal } from '../errors.js';
import type { RuntimeCli } from '../oci/runtime-cli.js';
import { parseSignal } from '../oci/signals.js';
import { ContainerSignals } from '../supervisor/container-signals.js';
import type { ExitRecord } from '../supervisor/exit-watcher.js';
import { ExitWatches } from '../supervisor/exit-watches.js';
import { initialHealth } from '../supervisor/health-state.js';
import { PendingRestarts } from '../supervisor/pending-restarts.js';
import { restartAfterExit } from '../supervisor/restart-policy.js';
import { SerialByKey } from '../supervisor/serial-by-key.js';
import { settlesWithin } from '../supervisor/settles-within.js';
import { startFailureCode } from '../supervisor/start-failure.js';
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
  private readonly watches = new ExitWatches();
  private readonly restarts = new PendingRestarts();
  private readonly operations = new SerialByKey();
  private readonly saves = new SerialByKey();
  private readonly signals: ContainerSignals;
  private shuttingDown = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly store: ContainerStore,
    private readonly runner: ContainerRunner,
    private readonly runtime: RuntimeCli,
    private readonly hooks: LifecycleHooks,
  ) {
    this.signals = new ContainerSignals(ctx.host, runtime);
  }

  /** Runs `fn` after every earlier operation on the same container has finished. */
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.operations.run(id, fn);
  }

  /**
   * Saves the record after every earlier save of it has landed, so a save overlapping another
   * (a stop's mark racing the exit it causes) can never leave the older state on disk.
   */
  private persist(c: ContainerRecord): Promise<void> {
    return this.saves.run(c.Id, () => this.store.save(c));
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
      await this.persist(c);
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
      await this.persist(c);
      throw err;
    }
  }

  /** Follows conmon's exit file for a running container (also one adopted after an engine restart). */
  watch(c: ContainerRecord): void {
    this.watches.follow(c.Id, this.runner.paths(c.Id), (exit) => {
      void this.exited(c.Id, exit).catch((err) =>
        this.ctx.log('error', 'exit handling failed', { id: c.Id, error: String(err) }),
      );
    });
  }

  /** Records an exit, cleans up, and applies the restart policy and AutoRemove. */
  async exited(id: string, exit: ExitRecord): Promise<void> {
    const c = this.store.byFullId(id);
    if (!c || this.shuttingDown) return;
    this.signals.exitSeen(id);
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
    this.signals.exitRecorded(id);
    const decision = restartAfterExit(c, exit.code, ranForMs);
    if (decision.restart) {
      c.State.Status = 'restarting';
      c.LastRestartDelayMs = decision.delayMs;
    } else if (ranForMs >= 10_000) c.LastRestartDelayMs = 0;
    await this.persist(c);
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
    this.restarts.schedule(c.Id, delayMs, () => {
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
    });
  }

  /** Cancels a pending policy restart; true when one was pending. */
  cancelRestart(c: ContainerRecord): boolean {
    return this.restarts.cancel(c.Id);
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
      await this.settleStopped(c);
      this.emit(c, 'stop');
      return;
    }
    const sig = parseSignal(signal || c.Config.StopSignal || 'SIGTERM');
    const exited = this.waiters.nextExit(c.Id);
    // The mark is written while the signal travels: an fsync'd write per container before each
    // signal made 20 concurrent stops queue on the disk before any container was even told.
    await Promise.all([this.persist(c), this.signal(c, sig)]);
    const timeout = timeoutSec ?? c.Config.StopTimeout ?? DEFAULT_STOP_TIMEOUT;
    if (timeout >= 0 && !(await settlesWithin(exited, timeout * 1000))) await this.sigkill(c, exited);
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
    await this.persist(c);
    this.waiters.exited(c);
  }

  /** Kill: a signal (default SIGKILL); suspends the restart policy as Docker's kill does. */
  kill(c: ContainerRecord, signal?: string): Promise<void> {
    return this.withLock(c.Id, async () => {
      if (c.State.Status === 'restarting') {
        c.ManuallyStopped = true;
        return this.settleStopped(c);
      }
      canKill(c.State.Status, c.Id);
      const sig = parseSignal(signal || 'SIGKILL');
      c.ManuallyStopped = true;
      // As Docker's kill: SIGKILL returns once the exit is recorded, other signals at once.
      const exited = sig === 9 ? this.waiters.nextExit(c.Id) : undefined;
      await Promise.all([this.persist(c), this.signal(c, sig)]);
      if (exited) await settlesWithin(exited, 10_000);
    });
  }

  /** SIGKILL and wait for the exit to be recorded (forced removal); caller holds the lock. */
  async killAndWait(c: ContainerRecord): Promise<void> {
    c.ManuallyStopped = true;
    await this.sigkill(c, this.waiters.nextExit(c.Id));
  }

  /** SIGKILL, and the exit it causes within 30 s. */
  private async sigkill(c: ContainerRecord, exited: Promise<unknown>): Promise<void> {
    await this.signal(c, 9);
    if (!(await settlesWithin(exited, 30_000)))
      throw internal(`container ${c.Id.slice(0, 12)} did not exit after SIGKILL`);
  }

  private signal(c: ContainerRecord, sig: number): Promise<void> {
    this.emit(c, 'kill', { signal: String(sig) });
    return this.signals.send(c, sig);
  }

  pause(c: ContainerRecord): Promise<void> {
    return this.freeze(c, true);
  }

  unpause(c: ContainerRecord): Promise<void> {
    return this.freeze(c, false);
  }

  /** Freezes (pause) or thaws (unpause) the container's cgroup. */
  private freeze(c: ContainerRecord, frozen: boolean): Promise<void> {
    return this.withLock(c.Id, async () => {
      (frozen ? canPause : canUnpause)(c.State.Status, c.Id);
      await (frozen ? this.runtime.pause(c.Id) : this.runtime.resume(c.Id));
      c.State.Status = frozen ? 'paused' : 'running';
      await this.persist(c);
      this.emit(c, frozen ? 'pause' : 'unpause');
    });
  }

  /** Resolves per Docker's wait conditions. */
  wait(c: ContainerRecord, condition: WaitCondition, signal: AbortSignal) {
    return this.waiters.wait(c, condition, signal);
  }

  /** Stops following exits and pending restarts; containers keep running under conmon. */
  shutdown(): void {
    this.shuttingDown = true;
    this.watches.close();
    this.restarts.close();
  }

  /** Stops following a container (before removal). */
  unwatch(id: string): void {
    this.watches.unfollow(id);
  }
}

/** The current status (a call, so the compiler does not keep a narrowing from before an await). */
const statusOf = (c: ContainerRecord) => c.State.Status;

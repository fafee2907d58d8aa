import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ContainerRecord } from '../containers/container-record.js';
import { eventAttributes } from '../containers/container-record.js';
import type { ContainerService } from '../containers/container-service.js';
import type { EngineContext } from '../context.js';
import {
  applyProbe,
  HEALTH_LOG,
  type HealthPlan,
  type HealthResult,
  healthPlan,
  nextProbeDelay,
} from './health-state.js';

/**
 * Runs each running container's healthcheck on its schedule (observe → fold the result through
 * the pure state machine → persist and announce changes). Never restarts a container: Docker's
 * rule. Stops with the container and while it is paused skips probes.
 */
export class HealthMonitor {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly containers: ContainerService,
  ) {}

  private plan(c: ContainerRecord): HealthPlan | undefined {
    return healthPlan(c.Config.Healthcheck, undefined);
  }

  hasCheck(c: ContainerRecord): boolean {
    return this.plan(c) !== undefined;
  }

  /** The container (re)started: health begins as `starting`. */
  started(c: ContainerRecord): void {
    const plan = this.plan(c);
    if (!plan) return;
    this.schedule(
      c,
      plan,
      nextProbeDelay(
        c.State.Health ?? { Status: 'starting', FailingStreak: 0, Log: [] },
        plan,
        this.inStartPeriod(c, plan),
      ),
    );
  }

  stopped(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  shutdown(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(c: ContainerRecord, plan: HealthPlan, delayMs: number): void {
    this.stopped(c.Id);
    const t = setTimeout(() => void this.probe(c, plan), delayMs);
    t.unref();
    this.timers.set(c.Id, t);
  }

  private inStartPeriod(c: ContainerRecord, plan: HealthPlan): boolean {
    return this.ctx.now() - Date.parse(c.State.StartedAt) < plan.startPeriodMs;
  }

  private async probe(c: ContainerRecord, plan: HealthPlan): Promise<void> {
    this.timers.delete(c.Id);
    if (this.containers.store.byFullId(c.Id) !== c) return;
    if (c.State.Status === 'paused') {
      this.schedule(c, plan, plan.intervalMs);
      return;
    }
    if (c.State.Status !== 'running' || !c.State.Health) return;
    const inStart = this.inStartPeriod(c, plan);
    const result = await this.run(c, plan).catch(
      (err): HealthResult => ({
        Start: new Date(this.ctx.now()).toISOString(),
        End: new Date(this.ctx.now()).toISOString(),
        ExitCode: -1,
        Output: String((err as Error).message),
      }),
    );
    if (c.State.Status !== 'running' || !c.State.Health || this.containers.store.byFullId(c.Id) !== c) return;
    const before = c.State.Health.Status;
    c.State.Health = applyProbe(c.State.Health, result, plan, inStart);
    await this.containers.store.save(c);
    if (c.State.Health.Status !== before) {
      this.ctx.events.emit('container', `health_status: ${c.State.Health.Status}`, c.Id, eventAttributes(c));
    }
    this.schedule(c, plan, nextProbeDelay(c.State.Health, plan, this.inStartPeriod(c, plan)));
  }

  /** One probe: exec the check, keep up to 4 KiB of output, time out as Docker says it. */
  private async run(c: ContainerRecord, plan: HealthPlan): Promise<HealthResult> {
    const start = new Date(this.ctx.now()).toISOString();
    const { child, cleanup, pidFile } = await this.containers.exec.spawn(
      c.Id,
      `health-${randomBytes(8).toString('hex')}`,
      {
        Cmd: plan.argv,
        AttachStdout: true,
        AttachStderr: true,
      },
    );
    let output = '';
    const collect = (d: Buffer) => {
      if (output.length < HEALTH_LOG.outputBytes) output += d.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.stdin?.end();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // The probe runs inside the container: kill it there too, not only the runtime's exec.
      void readFile(pidFile, 'utf8')
        .then((pid) => process.kill(Number(pid.trim()), 'SIGKILL'))
        .catch(() => undefined);
      child.kill('SIGKILL');
    }, plan.timeoutMs);
    const code = await new Promise<number>((resolve) => {
      child.on('close', (exit) => resolve(exit ?? -1));
      child.on('error', () => resolve(-1));
    });
    clearTimeout(timer);
    await cleanup();
    const end = new Date(this.ctx.now()).toISOString();
    if (timedOut)
      return {
        Start: start,
        End: end,
        ExitCode: -1,
        Output: `Health check exceeded timeout (${plan.timeoutMs / 1000}s)`,
      };
    return { Start: start, End: end, ExitCode: code, Output: output };
  }
}

import { describe, expect } from 'vitest';
import type { LogLine } from '../../../src/project/logs.js';
import { Project } from '../../../src/project/project.js';
import { availableEngines } from '../../support/engines.js';
import { eventually, itOn, projectNames, useEngine } from './harness.js';
import { sh, testProject, testService } from './stack.js';

const MS = 1_000_000;

for (const target of availableEngines()) {
  describe(`dependency order and restarts on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const newName = projectNames(fx);

    it('starts a service only after its dependency is healthy and its migration completed', async () => {
      const name = newName('order');
      const project = Project.fromModel(
        testProject(name, [
          testService('db', {
            command: sh('sleep 1; touch /tmp/ready; exec sleep 3600'),
            init: true,
            healthcheck: { test: ['CMD-SHELL', 'test -f /tmp/ready'], interval: 200 * MS, retries: 50 },
          }),
          testService('migrate', { command: sh('sleep 1; echo migrated') }),
          testService('app', {
            command: ['sleep', '3600'],
            init: true,
            depends_on: {
              db: { condition: 'service_healthy', required: true, restart: false },
              migrate: { condition: 'service_completed_successfully', required: true, restart: false },
            },
          }),
        ]),
        { engine: fx.engine },
      );
      await project.up();
      const byService = Object.fromEntries((await project.ps({ all: true })).map((c) => [c.service, c.id]));
      const [db, migrate, app] = await Promise.all(
        ['db', 'migrate', 'app'].map((s) => fx.engine.containers.inspect(byService[s])),
      );
      expect(migrate.State.ExitCode).toBe(0);
      const healthyAt = db.State.Health!.Log!.find((l) => l.ExitCode === 0)!.End;
      expect(Date.parse(app.State.StartedAt)).toBeGreaterThanOrEqual(Date.parse(healthyAt));
      expect(Date.parse(app.State.StartedAt)).toBeGreaterThanOrEqual(Date.parse(migrate.State.FinishedAt));
      await project.down({ volumes: true });
    });

    it('fails naming the dependency that exited non-zero, without starting its dependent', async () => {
      const name = newName('fail');
      const project = Project.fromModel(
        testProject(name, [
          testService('migrate', { command: sh('exit 3') }),
          testService('app', {
            command: ['sleep', '3600'],
            depends_on: {
              migrate: { condition: 'service_completed_successfully', required: true, restart: false },
            },
          }),
        ]),
        { engine: fx.engine },
      );
      await expect(project.up()).rejects.toMatchObject({
        kind: 'failed',
        message: expect.stringContaining('"migrate" didn\'t complete successfully: exit 3'),
      });
      const app = (await project.ps({ all: true })).find((c) => c.service === 'app')!;
      expect(app.state).toBe('created');
      await project.down({ volumes: true });
    });

    it('starts a dependent anyway, with a warning, when an optional (required: false) dependency fails', async () => {
      const name = newName('optional');
      const project = Project.fromModel(
        testProject(name, [
          testService('migrate', { command: sh('exit 3') }),
          testService('app', {
            command: ['sleep', '3600'],
            init: true,
            depends_on: {
              migrate: { condition: 'service_completed_successfully', required: false, restart: false },
            },
          }),
        ]),
        { engine: fx.engine },
      );
      const warnings: string[] = [];
      await project.up({ onEvent: (e) => e.kind === 'warning' && warnings.push(e.message) });
      expect(warnings).toEqual([
        'optional dependency: service "migrate" didn\'t complete successfully: exit 3',
      ]);
      const app = (await project.ps({ all: true })).find((c) => c.service === 'app')!;
      expect(app.state).toBe('running');
      await project.down({ volumes: true, timeout: 1 });
    });

    it('applies the restart policy: on-failure:2 restarts a failing container twice', async () => {
      const name = newName('restart');
      const project = Project.fromModel(
        testProject(name, [testService('flaky', { command: sh('exit 1'), restart: 'on-failure:2' })]),
        { engine: fx.engine },
      );
      await project.up();
      const [c] = await project.ps({ all: true });
      const final = await eventually(async () => {
        const i = await fx.engine.containers.inspect(c.id);
        return i.RestartCount === 2 && !i.State.Running && !i.State.Restarting ? i : undefined;
      });
      expect(final.State.ExitCode).toBe(1);
      await project.down({ volumes: true });
    });

    it('keeps following logs across a restart', async () => {
      const name = newName('logs');
      const project = Project.fromModel(
        testProject(name, [
          testService('talker', { command: sh('echo hello-$$; exec sleep 3600'), init: true }),
        ]),
        { engine: fx.engine },
      );
      await project.up();
      const abort = new AbortController();
      const lines: LogLine[] = [];
      const reading = (async () => {
        for await (const line of project.logs({ follow: true, signal: abort.signal })) lines.push(line);
      })();
      await eventually(async () => lines.length >= 1);
      const [c] = await project.ps();
      await fx.engine.containers.restart(c.id, { t: 1 });
      await eventually(async () => lines.filter((l) => l.text.startsWith('hello-')).length >= 2);
      abort.abort();
      await reading;
      expect(lines.every((l) => l.service === 'talker' && l.container === `${name}-talker-1`)).toBe(true);
      // Each run's line once: nothing of the first run is replayed when following again.
      expect(lines.filter((l) => l.text.startsWith('hello-'))).toHaveLength(2);
      await project.down({ volumes: true });
    });
  });
}

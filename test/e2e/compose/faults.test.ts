import { createServer } from 'node:net';
import { describe, expect } from 'vitest';
import { Project } from '../../../src/project/project.js';
import { Label } from '../../../src/reconcile/labels.js';
import { availableEngines } from '../../support/engines.js';
import { freePort, itOn, projectNames, useEngine } from './harness.js';
import { sh, testProject, testService } from './stack.js';

const MS = 1_000_000;

for (const target of availableEngines()) {
  describe(`faults on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const newName = projectNames(fx);

    it('reports a port already allocated for the service, and converges once it is free', async () => {
      const port = await freePort();
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
      const name = newName('port');
      const model = testProject(name, [
        testService('web', {
          command: ['httpd', '-f', '-p', '80'],
          init: true,
          ports: [
            { target: 80, published: String(port), host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' },
          ],
        }),
        testService('other', { command: ['sleep', '3600'], init: true }),
      ]);
      const project = Project.fromModel(model, { engine: fx.engine });
      try {
        await expect(project.up()).rejects.toMatchObject({ context: { service: 'web' } });
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
      const states = Object.fromEntries((await project.ps({ all: true })).map((c) => [c.service, c.state]));
      expect(states.web).not.toBe('running');
      await project.up();
      expect((await project.ps()).map((c) => c.service).sort()).toEqual(['other', 'web']);
      expect((await project.plan()).nodes).toEqual([]);
      await project.down({ volumes: true });
    });

    it('names the service whose image does not exist and cannot be pulled, creating nothing', async () => {
      const name = newName('noimage');
      const project = Project.fromModel(
        testProject(name, [
          testService('ghost', { image: `127.0.0.1:1/berth-test/does-not-exist-${name}:latest` }),
        ]),
        { engine: fx.engine },
      );
      await expect(project.up()).rejects.toMatchObject({ context: { service: 'ghost' } });
      expect(await project.ps({ all: true })).toEqual([]);
    });

    it('creates no duplicate containers when two ups of one project run at once', async () => {
      const name = newName('twice');
      const model = testProject(name, [
        testService('a', { command: ['sleep', '3600'], init: true, scale: 2 }),
        testService('b', { command: ['sleep', '3600'], init: true }),
      ]);
      await Promise.all([
        Project.fromModel(model, { engine: fx.engine }).up(),
        Project.fromModel(model, { engine: fx.engine }).up(),
      ]);
      const names = (await Project.fromModel(model, { engine: fx.engine }).ps({ all: true }))
        .map((c) => c.name)
        .sort();
      expect(names).toEqual([`${name}-a-1`, `${name}-a-2`, `${name}-b-1`]);
      await Project.fromModel(model, { engine: fx.engine }).down({ volumes: true });
    });

    it('stops cleanly when interrupted mid-up: everything made is labelled, and the next up converges', async () => {
      const name = newName('abort');
      const model = testProject(name, [
        testService('slow', {
          command: sh('sleep 2; touch /tmp/ok; exec sleep 3600'),
          init: true,
          healthcheck: { test: ['CMD', 'test', '-f', '/tmp/ok'], interval: 200 * MS, retries: 100 },
        }),
        testService('after', {
          command: ['sleep', '3600'],
          init: true,
          depends_on: { slow: { condition: 'service_healthy', required: true, restart: false } },
        }),
      ]);
      const project = Project.fromModel(model, { engine: fx.engine });
      const abort = new AbortController();
      const up = project.up({
        signal: abort.signal,
        onEvent: (e) => {
          if (e.kind === 'operation' && e.type === 14 && e.state === 'started') abort.abort();
        },
      });
      await expect(up).rejects.toMatchObject({ kind: 'cancelled' });
      const all = await fx.engine.containers.list({ all: true, filters: { name: [name] } });
      for (const c of all) expect(c.Labels?.[Label.project]).toBe(name);
      await project.up();
      expect((await project.ps()).map((c) => c.service).sort()).toEqual(['after', 'slow']);
      expect((await project.plan()).nodes).toEqual([]);
      await project.down({ volumes: true });
    });

    it('--wait gives up at --wait-timeout naming the service whose health check never passes', async () => {
      const name = newName('waittimeout');
      const project = Project.fromModel(
        testProject(name, [
          testService('stuck', {
            command: ['sleep', '3600'],
            init: true,
            healthcheck: { test: ['CMD', 'false'], interval: 3600 * 1000 * MS },
          }),
        ]),
        { engine: fx.engine },
      );
      await expect(project.up({ wait: true, waitTimeoutMs: 1500 })).rejects.toMatchObject({
        kind: 'timeout',
        context: { service: 'stuck' },
      });
      expect((await project.ps())[0]).toMatchObject({ service: 'stuck', state: 'running' });
      await project.down({ volumes: true });
    });
  });
}

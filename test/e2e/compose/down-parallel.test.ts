import { describe, expect } from 'vitest';
import type { EngineClient } from '../../../src/client/index.js';
import { Project } from '../../../src/project/project.js';
import type { EnginePort } from '../../../src/reconcile/engine-port.js';
import { availableEngines } from '../../support/engines.js';
import { itOn, projectLeftovers, projectNames, useEngine } from './harness.js';
import { testProject, testService } from './stack.js';

/** An engine that logs when each stop and removal begins and ends, in order. */
function loggingEngine(client: EngineClient): { engine: EnginePort; log: string[] } {
  const log: string[] = [];
  const logged =
    <A extends unknown[], R>(what: string, fn: (...a: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const ref = String(args[0]);
      log.push(`begin ${what} ${ref}`);
      try {
        return await fn(...args);
      } finally {
        log.push(`end ${what} ${ref}`);
      }
    };
  const containers = Object.create(client.containers) as EngineClient['containers'];
  containers.stop = logged('stop', client.containers.stop.bind(client.containers));
  containers.remove = logged('remove', client.containers.remove.bind(client.containers));
  const networks = Object.create(client.networks) as EngineClient['networks'];
  networks.remove = logged('network-remove', client.networks.remove.bind(client.networks));
  const { system, exec, volumes, images } = client;
  return { engine: { system, exec, containers, networks, volumes, images }, log };
}

for (const target of availableEngines()) {
  describe(`down on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const newName = projectNames(fx);

    it('stops every container at once, each by its stop signal, and removes each once it stopped', async () => {
      const name = newName('downpar');
      // tini as init forwards SIGTERM to sleep, which dies of it: these services honour SIGTERM.
      const services = Array.from({ length: 6 }, (_, i) =>
        testService(`s${i}`, { command: ['sleep', '3600'], init: true }),
      );
      await Project.fromModel(testProject(name, services), { engine: fx.engine }).up();
      const ids = (
        await fx.engine.containers.list({ filters: { label: [`com.docker.compose.project=${name}`] } })
      )
        .map((c) => c.Id)
        .sort();
      expect(ids).toHaveLength(6);
      const since = new Date(Date.now() - 1000);
      const { engine, log } = loggingEngine(fx.engine);
      // A timeout far beyond any stop: a container killed after it (137) would show here.
      await Project.fromModel(testProject(name, services), { engine }).down({ timeout: 60 });
      const until = new Date(Date.now() + 1000);
      const at = (entry: string) => log.indexOf(entry);
      const firstEnd = Math.min(...ids.map((id) => at(`end stop ${id}`)));
      for (const id of ids) {
        expect(at(`begin stop ${id}`)).toBeLessThan(firstEnd);
        expect(at(`begin remove ${id}`)).toBeGreaterThan(at(`end stop ${id}`));
        expect(at(`begin network-remove ${name}_default`)).toBeGreaterThan(at(`end remove ${id}`));
      }
      const deaths = new Map<string, string>();
      for await (const e of fx.engine.system.events({
        since,
        until,
        filters: { type: ['container'], event: ['die'], label: [`com.docker.compose.project=${name}`] },
      }))
        deaths.set(e.Actor.ID, e.Actor.Attributes.exitCode ?? '');
      expect([...deaths].sort()).toEqual(ids.map((id) => [id, '143']));
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });
  });
}

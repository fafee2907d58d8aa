import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { Project } from '../../../src/project/project.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { availableEngines } from '../../support/engines.js';
import { buildConfig } from '../../unit/reconcile/fixtures.js';
import { forceCleanup, itOn, uniqueProjectName, useEngine } from './harness.js';
import { testProject, testService } from './stack.js';

for (const target of availableEngines()) {
  describe(`build on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    /** A project with one built service whose Dockerfile is `dockerfile`. */
    function built(dockerfile: string) {
      const dir = mkdtempSync(join(tmpdir(), 'berth-build-'));
      const name = uniqueProjectName('build');
      const image = `${name}-app`;
      cleanups.push(async () => {
        await forceCleanup(fx.engine, name);
        await fx.engine.images.remove(image, { force: true }).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      });
      const write = (text: string) => writeFileSync(join(dir, 'Dockerfile'), text);
      write(dockerfile);
      const build = buildConfig(dir);
      const model = testProject(name, [testService('app', { image: undefined, build, init: true })]);
      return { project: Project.fromModel(model, { engine: fx.engine }), write, image };
    }

    it('builds a missing image, and recreates the container when up --build rebuilds it differently', async () => {
      const { project, write, image } = built(
        `FROM ${TEST_IMAGE}\nRUN echo v1 > /version\nCMD ["sleep", "3600"]\n`,
      );
      await project.up();
      const [first] = await project.ps();
      const firstImage = (await fx.engine.images.inspect(image)).Id;
      cleanups.push(async () => {
        await fx.engine.images.remove(firstImage, { force: true }).catch(() => {});
      });
      expect((await project.plan()).nodes).toEqual([]);
      write(`FROM ${TEST_IMAGE}\nRUN echo v2 > /version\nCMD ["sleep", "3600"]\n`);
      const result = await project.up({ build: 'always' });
      const causes = result.plans.at(-1)!.nodes.map((n) => n.operation.cause);
      expect(causes).toContain('image rebuilt');
      const [second] = await project.ps();
      expect(second.id).not.toBe(first.id);
      expect(second.name).toBe(first.name);
      await project.down({ volumes: true, rmi: 'local' });
    });

    it('a failing build names the service and creates no container', async () => {
      const { project } = built(`FROM ${TEST_IMAGE}\nRUN exit 7\n`);
      await expect(project.up()).rejects.toMatchObject({ context: { service: 'app' } });
      expect(await project.ps({ all: true })).toEqual([]);
    });
  });
}

import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
// The way a test harness uses berth: the package's public entry point.
import { Project } from '../../../src/index.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { availableEngines } from '../../support/engines.js';
import {
  eventually,
  forceCleanup,
  freePort,
  itOn,
  projectLeftovers,
  uniqueProjectName,
  useEngine,
} from './harness.js';

/** GETs a URL until it answers 200, returning the body. */
function fetched(url: string): Promise<string> {
  return eventually(async () => {
    const res = await fetch(url);
    return res.ok ? res.text() : undefined;
  });
}

for (const target of availableEngines()) {
  describe(`examples on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    /** Copies an example to a temporary folder and loads it as a user would, on a free port. */
    async function loadExample(example: string, portVar: string) {
      const dir = mkdtempSync(join(tmpdir(), `berth-example-${example}-`));
      cpSync(join('examples', example), dir, { recursive: true });
      const port = await freePort();
      const name = uniqueProjectName(example);
      cleanups.push(async () => {
        await forceCleanup(fx.engine, name);
        rmSync(dir, { recursive: true, force: true });
      });
      const env = { BERTH_EXAMPLE_IMAGE: TEST_IMAGE, [portVar]: String(port) };
      const project = await Project.load({ cwd: dir, env, projectName: name, engine: fx.engine });
      return { project, port, dir, name };
    }

    it('hello: serves its page on 127.0.0.1, and down leaves nothing', async () => {
      const { project, port, name } = await loadExample('hello', 'HELLO_PORT');
      await project.up({ wait: true, waitTimeoutMs: 60_000 });
      expect(await fetched(`http://127.0.0.1:${port}/`)).toContain('Hello from berth');
      await project.down({ volumes: true });
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });

    it('webapp: health-gated start, the web front reaches the API by alias', async () => {
      const { project, port, name } = await loadExample('webapp', 'WEBAPP_PORT');
      await project.up({ wait: true, waitTimeoutMs: 120_000 });
      expect(await fetched(`http://127.0.0.1:${port}/cgi-bin/api`)).toContain('"status":"ok"');
      const states = Object.fromEntries((await project.ps({ all: true })).map((c) => [c.service, c]));
      expect(states.migrate.exitCode).toBe(0);
      expect(states.db.health).toBe('healthy');
      await project.down({ volumes: true });
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });

    it('dev-loop: an edit to the bind-mounted source shows without a recreate', async () => {
      const { project, port, dir, name } = await loadExample('dev-loop', 'DEVLOOP_PORT');
      await project.up({ wait: true, waitTimeoutMs: 60_000 });
      expect(await fetched(`http://127.0.0.1:${port}/`)).toContain('edit me');
      const [before] = await project.ps();
      writeFileSync(join(dir, 'site', 'index.html'), '<p>edited</p>\n');
      await eventually(async () => (await fetched(`http://127.0.0.1:${port}/`)).includes('edited'));
      expect((await project.plan()).nodes).toEqual([]);
      expect((await project.ps())[0].id).toBe(before.id);
      await project.down({ volumes: true });
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });
  });
}

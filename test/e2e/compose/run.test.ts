import { createServer } from 'node:net';
import { describe, expect } from 'vitest';
import { Label } from '../../../src/reconcile/labels.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { availableEngines } from '../../support/engines.js';
import { cliStacks } from './cli-stack.js';
import { eventually, freePort, itOn, projectLeftovers, useEngine } from './harness.js';

const WEB = [
  'services:',
  '  web:',
  `    image: ${TEST_IMAGE}`,
  '    command: ["httpd", "-f", "-p", "80", "-h", "/www"]',
  '    init: true',
  '',
].join('\n');

for (const target of availableEngines()) {
  describe(`berth run on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const stack = cliStacks(fx, 'run');

    /** The project's one-off containers, by name. */
    async function oneOffs(project: string): Promise<string[]> {
      const filters = { label: [`${Label.project}=${project}`, `${Label.oneoff}=True`] };
      return (await fx.engine.containers.list({ all: true, filters })).map((c) => c.Names[0] ?? '');
    }

    it('on a project never brought up: creates its network and volume, waits for a healthy dependency, passes the exit code through, --rm leaves nothing', async () => {
      const { berth, name } = stack(
        [
          'services:',
          '  db:',
          `    image: ${TEST_IMAGE}`,
          '    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 3600"]',
          '    init: true',
          '    healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: 1s, retries: 60 }',
          '  app:',
          `    image: ${TEST_IMAGE}`,
          '    depends_on: { db: { condition: service_healthy } }',
          '    volumes: [data:/data]',
          '    networks: [back, default]',
          'volumes: { data: {} }',
          'networks: { back: {} }',
          '',
        ].join('\n'),
      );
      const run = berth('run', '--rm', '-T', '--progress', 'quiet', 'app', 'sh', '-c', 'ls -d /data; exit 4');
      expect([run.code, run.stdout], run.stderr).toEqual([4, '/data\n']);
      expect(await oneOffs(name)).toEqual([]);
      const db = JSON.parse(berth('ps', '--format', 'json').stdout.trim());
      expect([db.Service, db.State, db.Health]).toEqual(['db', 'running', 'healthy']);
      const networks = (await fx.engine.networks.list({ filters: { name: [`${name}_back`] } })).map(
        (n) => n.Name,
      );
      expect(networks).toEqual([`${name}_back`]);
      // --no-deps on a fresh project still gets its network and volume.
      expect(berth('down', '-v', '--progress', 'quiet').code).toBe(0);
      const alone = berth('run', '--rm', '-T', '--no-deps', '--progress', 'quiet', 'app', 'true');
      expect([alone.code, alone.stderr]).toEqual([0, '']);
      expect(berth('ps', '-a', '-q').stdout).toBe('');
      expect(berth('down', '-v', '--progress', 'quiet').code).toBe(0);
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });

    it('run -p 127.0.0.1:<port>:80 publishes the port on 127.0.0.1', async () => {
      const port = await freePort();
      const { berth, name } = stack(WEB);
      const run = berth('run', '-d', '--rm', '-p', `127.0.0.1:${port}:80`, '--progress', 'quiet', 'web');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^${name}-web-run-[0-9a-f]{12}\\n$`));
      const body = await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        return res.ok ? res.text() : undefined;
      });
      expect(body).toBe('hello from busybox\n');
      // Detached with --rm, the engine removes the one-off when it stops.
      await fx.engine.containers.stop(run.stdout.trim(), { t: 1 });
      await eventually(async () => (await oneOffs(name)).length === 0);
    });

    it('run --rm whose start fails (port already allocated) says why, exits 1 and leaves no container', async () => {
      const port = await freePort();
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
      const { berth, name } = stack(WEB);
      try {
        const run = berth(
          'run',
          '--rm',
          '-T',
          '-p',
          `127.0.0.1:${port}:80`,
          '--progress',
          'quiet',
          'web',
          'true',
        );
        expect(run.code).toBe(1);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toMatch(/^service "web"[ :]/);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
      expect(await oneOffs(name)).toEqual([]);
    });

    it('run whose create fails (--name already in use) names the service, exits 1 and leaves the other container alone', async () => {
      const { berth, name } = stack(WEB);
      const taken = `${name}-taken`;
      const first = berth('run', '-d', '--name', taken, '--progress', 'quiet', 'web');
      expect(first.code, first.stderr).toBe(0);
      const second = berth('run', '--rm', '-T', '--name', taken, '--progress', 'quiet', 'web', 'true');
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toMatch(/^service "web"[ :].*already in use/);
      expect(await oneOffs(name)).toEqual([`/${taken}`]);
    });
  });
}

import { describe, expect } from 'vitest';
import { Project } from '../../../src/project/project.js';
import { availableEngines } from '../../support/engines.js';
import {
  countingEngine,
  eventually,
  freePort,
  itOn,
  projectLeftovers,
  projectNames,
  useEngine,
} from './harness.js';
import { sh, testProject, testService } from './stack.js';

const HTTPD = ['httpd', '-f', '-p', '80', '-h', '/www'];

for (const target of availableEngines()) {
  describe(`up and down on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const counted = () => countingEngine(fx.engine);
    const newName = projectNames(fx);

    it('serves a web service on its published port on 127.0.0.1, and down -v leaves nothing', async () => {
      const port = await freePort();
      const name = newName('web');
      const model = testProject(
        name,
        [
          testService('web', {
            command: HTTPD,
            ports: [
              { target: 80, published: String(port), host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' },
            ],
            volumes: [
              { type: 'volume', source: 'data', target: '/data' },
              { type: 'volume', target: '/cache' },
            ],
          }),
        ],
        { volumes: { data: { name: 'demo_data', driver_opts: {}, labels: {}, extensions: {} } } },
      );
      const project = Project.fromModel(model, { engine: fx.engine });
      await project.up();
      const body = await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        return res.ok ? res.text() : undefined;
      });
      expect(body).toBe('hello from busybox\n');
      const [web] = await project.ps();
      expect(web).toMatchObject({ name: `${name}-web-1`, service: 'web', state: 'running' });
      await project.down({ volumes: true });
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });

    it('changes nothing on a second up, and recreates exactly one container when one variable changes', async () => {
      const name = newName('noop');
      const services = [
        testService('a', { command: ['sleep', '3600'], environment: { FOO: 'one' }, init: true }),
        testService('b', { command: ['sleep', '3600'], init: true }),
      ];
      const project = Project.fromModel(testProject(name, services), { engine: fx.engine });
      await project.up();
      const before = await project.ps();
      const { engine: counting, writes } = counted();
      await Project.fromModel(testProject(name, services), { engine: counting }).up();
      expect(writes).toEqual([]);
      const changed = testProject(name, [{ ...services[0], environment: { FOO: 'two' } }, services[1]]);
      const result = await Project.fromModel(changed, { engine: fx.engine }).up();
      const after = await project.ps();
      expect(after.map((c) => c.name)).toEqual(before.map((c) => c.name));
      expect(after.find((c) => c.service === 'a')!.id).not.toBe(before.find((c) => c.service === 'a')!.id);
      expect(after.find((c) => c.service === 'b')!.id).toBe(before.find((c) => c.service === 'b')!.id);
      expect(result.plans.at(-1)!.nodes.map((n) => n.operation.cause)).toContain(
        'config changed: environment.FOO',
      );
      await project.down({ volumes: true });
    });

    it('lets a service reach another by service name and by network alias', async () => {
      const name = newName('dns');
      const project = Project.fromModel(
        testProject(name, [
          testService('api', { command: HTTPD, init: true, networks: { default: { aliases: ['backend'] } } }),
          testService('client', {
            command: sh(
              'for i in $(seq 1 100); do wget -qO- http://api/ && wget -qO- http://backend/ && exit 0; sleep 0.2; done; exit 1',
            ),
            depends_on: { api: { condition: 'service_started', required: true, restart: false } },
          }),
        ]),
        { engine: fx.engine },
      );
      await project.up();
      const client = (await project.ps({ all: true })).find((c) => c.service === 'client')!;
      const { StatusCode } = await fx.engine.containers.wait(client.id);
      expect(StatusCode).toBe(0);
      await project.down({ volumes: true });
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });
  });
}

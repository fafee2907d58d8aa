import { describe, expect } from 'vitest';
import { Project } from '../../../src/project/project.js';
import { availableEngines } from '../../support/engines.js';
import { itOn, projectLeftovers, projectNames, useEngine } from './harness.js';
import { sh, testProject, testService } from './stack.js';

for (const target of availableEngines()) {
  describe(`secrets and configs without a file on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const newName = projectNames(fx);

    it('copies environment: and content: values in, mode 0444 unless set, and recreates on a new value', async () => {
      const name = newName('secrets');
      const check = [
        'test "$(cat /run/secrets/token)" = s3cret',
        'test "$(cat /etc/app.conf)" = "key=1"',
        'test "$(stat -c %a /run/secrets/token)" = 444',
        'test "$(stat -c %a /etc/app.conf)" = 440',
      ].join(' && ');
      const model = testProject(name, [
        testService('job', {
          command: sh(check),
          secrets: [{ source: 'token' }],
          configs: [{ source: 'app', target: '/etc/app.conf', mode: 0o440 }],
        }),
      ]);
      model.environment = { ...model.environment, TOKEN_VALUE: 's3cret' };
      model.secrets = { token: { name: `${name}_token`, environment: 'TOKEN_VALUE', labels: {} } };
      model.configs = { app: { name: `${name}_app`, content: 'key=1', labels: {} } };
      const project = Project.fromModel(model, { engine: fx.engine });
      await project.up();
      const [job] = await project.ps({ all: true });
      const { StatusCode } = await fx.engine.containers.wait(job.id);
      expect(StatusCode).toBe(0);
      // A changed value recreates the container, which then sees the new value (and fails the check).
      model.environment.TOKEN_VALUE = 'changed';
      await project.up();
      const [again] = await project.ps({ all: true });
      expect(again.id).not.toBe(job.id);
      expect((await fx.engine.containers.wait(again.id)).StatusCode).toBe(1);
      await project.down({ volumes: true });
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });
  });
}

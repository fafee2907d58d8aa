import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { availableEngines } from '../../support/engines.js';
import { type CliResult, cliStacks } from './cli-stack.js';
import { eventually, itOn, projectLeftovers, useEngine } from './harness.js';

const JOB_AND_SERVER = [
  'services:',
  '  job:',
  `    image: ${TEST_IMAGE}`,
  '    command: ["sh", "-c", "sleep 1; exit 3"]',
  '  server:',
  `    image: ${TEST_IMAGE}`,
  '    command: ["sh", "-c", "echo ready; exec sleep 3600"]',
  '    init: true',
  '',
].join('\n');

/** `Service State ExitCode` of each container, from `ps -a --format json`. */
function states(res: CliResult): string[] {
  return res.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .map((c) => `${c.Service} ${c.State} ${c.ExitCode}`);
}

for (const target of availableEngines()) {
  describe(`berth up and down flags on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const stack = cliStacks(fx, 'upflags');

    it('--dry-run changes nothing; --abort-on-container-exit returns the first exit code and stops the rest; run -e --entrypoint', async () => {
      const { berth, name } = stack(JOB_AND_SERVER);
      const dry = berth('up', '--dry-run');
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(`service:server:1, CreateContainer, not found`);
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
      const up = berth('up', '--abort-on-container-exit', '--progress', 'quiet');
      expect(up.code, up.stderr).toBe(3);
      expect(states(berth('ps', '-a', '--format', 'json'))).toEqual(['job exited 3', 'server exited 143']);
      const run = berth('run', '--rm', '-T', '-e', 'Y=2', '--entrypoint', 'sh', 'server', '-c', 'echo $Y');
      expect([run.code, run.stdout]).toEqual([0, '2\n']);
      const downDry = berth('down', '--dry-run');
      expect(downDry.stdout).toContain('service:server:1, RemoveContainer, down');
      expect(states(berth('ps', '-a', '--format', 'json'))).toHaveLength(2);
      expect(berth('down', '--progress', 'quiet').code).toBe(0);
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });

    it('SIGTERM to an attached up stops the stack; events --json reports each event as one object', async () => {
      const { attached, berth, name } = stack(
        `services:\n${JOB_AND_SERVER.slice(JOB_AND_SERVER.indexOf('  server:'))}`,
      );
      const events = attached('events', '--json');
      let eventText = '';
      events.stdout.on('data', (d) => {
        eventText += String(d);
      });
      try {
        // The events stream is live once it has reported a create; until then each round makes one.
        await eventually(async () => {
          if (eventText.includes('"action":"create"')) return true;
          berth('create', '--force-recreate', '--progress', 'quiet');
          return false;
        }, 60_000);
        const child = attached('up', '--progress', 'quiet');
        let out = '';
        child.stdout.on('data', (d) => {
          out += String(d);
        });
        const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
        await eventually(async () => out.includes(`${name}-server-1 | ready`), 60_000);
        child.kill('SIGTERM');
        expect(await exited).toBe(143);
        expect(states(berth('ps', '-a', '--format', 'json'))).toEqual(['server exited 143']);
        const seen = await eventually(async () => {
          const lines = eventText
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l));
          const actions = lines.filter((e) => e.service === 'server').map((e) => e.action);
          return actions.includes('start') && actions.includes('die') ? lines : undefined;
        });
        expect(seen[0]).toMatchObject({ type: 'container', service: 'server' });
        expect(seen[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
      } finally {
        events.kill('SIGINT');
      }
    });

    it('build --build-arg, --no-cache; up --no-build; down --rmi local and --rmi all', async () => {
      // The file names images after the project, so it is written once the name is known.
      const { berth, name, dir } = stack('services: {}\n');
      const tagged = `${name}-tagged:1`;
      const local = `${name}-local`;
      writeFileSync(
        join(dir, 'compose.yaml'),
        [
          'services:',
          '  local:',
          '    build: .',
          '    init: true',
          '  tagged:',
          `    image: ${tagged}`,
          '    build: .',
          '    init: true',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'Dockerfile'),
        `FROM ${TEST_IMAGE}\nARG V=none\nRUN echo $V > /v; cat /proc/sys/kernel/random/uuid > /stamp\nCMD ["sleep", "3600"]\n`,
      );
      const imageId = (ref: string) =>
        fx.engine.images.inspect(ref).then(
          (i) => i.Id,
          () => undefined,
        );
      try {
        // plan shows the builds and makes nothing: no image, no network, no container.
        const plan = berth('plan');
        expect(plan.stdout).toMatch(/BuildImage/);
        expect([await imageId(local), await projectLeftovers(fx.engine, name)]).toEqual([undefined, []]);
        const noBuild = berth('up', '-d', '--no-build', '--progress', 'quiet');
        expect(noBuild.code).toBe(1);
        expect(noBuild.stderr).toMatch(/service "(local|tagged)"/);
        expect(noBuild.stderr.trim().split('\n')).toHaveLength(1);
        const built = berth('build', '--build-arg', 'V=x', '--progress', 'quiet', 'local');
        expect(built.code, built.stderr).toBe(0);
        const first = await imageId(local);
        expect(first).toBeDefined();
        expect(berth('build', '--build-arg', 'V=x', '--progress', 'quiet', 'local').code).toBe(0);
        expect(await imageId(local)).toBe(first);
        expect(berth('build', '--no-cache', '--build-arg', 'V=x', '--progress', 'quiet', 'local').code).toBe(
          0,
        );
        expect(await imageId(local)).not.toBe(first);
        const run = berth('run', '--rm', '-T', '--no-deps', 'local', 'cat', '/v');
        expect([run.code, run.stdout], run.stderr).toEqual([0, 'x\n']);
        expect(berth('up', '-d', '--progress', 'quiet').code).toBe(0);
        expect(await imageId(tagged)).toBeDefined();
        expect(berth('down', '-t', '1', '--rmi', 'local', '--progress', 'quiet').code).toBe(0);
        expect([await imageId(local), (await imageId(tagged)) !== undefined]).toEqual([undefined, true]);
        expect(berth('up', '-d', '--progress', 'quiet').code).toBe(0);
        expect(berth('down', '-t', '1', '--rmi', 'all', '--progress', 'quiet').code).toBe(0);
        expect([await imageId(local), await imageId(tagged)]).toEqual([undefined, undefined]);
        expect(await projectLeftovers(fx.engine, name)).toEqual([]);
      } finally {
        for (const ref of [local, tagged])
          await fx.engine.images.remove(ref, { force: true }).catch(() => {});
      }
    });
  });
}

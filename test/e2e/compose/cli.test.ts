import { spawnSync } from 'node:child_process';
import { describe, expect } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { availableEngines } from '../../support/engines.js';
import { cliStacks } from './cli-stack.js';
import { eventually, freePort, itOn, projectLeftovers, useEngine } from './harness.js';

for (const target of availableEngines()) {
  describe(`the berth CLI on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const stack = cliStacks(fx);

    it('brings a stack up and down: up -d, ps --format json, plan, exec exit code, run --rm, down -v', async () => {
      const port = await freePort();
      const { berth, name, dir, env } = stack(
        [
          'services:',
          '  web:',
          `    image: ${TEST_IMAGE}`,
          '    command: ["httpd", "-f", "-p", "80", "-h", "/www"]',
          '    init: true',
          `    ports: ["127.0.0.1:${port}:80"]`,
          '    environment: { GREETING: hi }',
          '',
        ].join('\n'),
      );
      const up = berth('up', '-d', '--progress', 'plain');
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr).toContain('service:web:1 StartContainer done');
      const ps = JSON.parse(berth('ps', '--format', 'json').stdout.trim());
      expect(ps).toMatchObject({
        Name: `${name}-web-1`,
        Names: `${name}-web-1`,
        Project: name,
        Service: 'web',
        State: 'running',
        Health: '',
        ExitCode: 0,
        Networks: `${name}_default`,
        Ports: `127.0.0.1:${port}->80/tcp`,
        Publishers: [{ URL: '127.0.0.1', TargetPort: 80, PublishedPort: port, Protocol: 'tcp' }],
        LocalVolumes: '0',
        Mounts: '',
        Size: '0B',
      });
      expect(ps.ID).toMatch(/^[0-9a-f]{12}$/);
      expect(ps.Labels.split(',')).toContain(`com.docker.compose.project=${name}`);
      expect(ps.RunningFor).toMatch(/ ago$/);
      expect(berth('plan').stdout).toBe('Nothing to do: the stack is up to date.\n');
      if (target.name === 'docker') {
        // The same labels as Compose: docker-compose 1.29 sees berth's stack as its own.
        const v1 = spawnSync('docker-compose', ['ps'], { cwd: dir, env: { ...env }, encoding: 'utf8' });
        expect(v1.stdout).toContain(`${name}-web-1`);
      }
      const exec = berth('exec', '-T', 'web', 'sh', '-c', 'echo $GREETING; exit 3');
      expect([exec.code, exec.stdout]).toEqual([3, 'hi\n']);
      const run = berth('run', '--rm', '-T', '--no-deps', 'web', 'sh', '-c', 'echo one-off');
      expect([run.code, run.stdout]).toEqual([0, 'one-off\n']);
      expect(berth('port', 'web', '80').stdout).toBe(`127.0.0.1:${port}\n`);
      expect(berth('ps', '-a', '-q').stdout.trim().split('\n')).toHaveLength(1);
      const down = berth('down', '-v', '--progress', 'quiet');
      expect([down.code, down.stderr]).toEqual([0, '']);
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });

    it('fails with one clear line naming the service, and exit code 1', async () => {
      const { berth } = stack(
        [
          'services:',
          '  ghost:',
          '    image: berth-test/not-there:latest',
          '    pull_policy: never',
          '',
        ].join('\n'),
      );
      const up = berth('up', '-d', '--progress', 'quiet');
      expect(up.code).toBe(1);
      expect(up.stderr).toMatch(/service "ghost"/);
      expect(up.stderr).not.toMatch(/\n\s+at /);
    });

    it('attached up streams prefixed logs, and Ctrl-C stops the stack with exit code 130', async () => {
      const { attached, berth, name } = stack(
        [
          'services:',
          '  talker:',
          `    image: ${TEST_IMAGE}`,
          '    command: ["sh", "-c", "echo ready; exec sleep 3600"]',
          '    init: true',
          '',
        ].join('\n'),
      );
      const child = attached('up', '--progress', 'quiet');
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
      });
      const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
      await eventually(async () => out.includes(`${name}-talker-1 | ready`), 60_000);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      const ps = JSON.parse(berth('ps', '-a', '--format', 'json').stdout.trim());
      expect(ps.State).toBe('exited');
    });

    it('--exit-code-from returns the exit code of that service and stops the others', async () => {
      const { berth } = stack(
        [
          'services:',
          '  job:',
          `    image: ${TEST_IMAGE}`,
          '    command: ["sh", "-c", "sleep 1; exit 5"]',
          '  server:',
          `    image: ${TEST_IMAGE}`,
          '    command: ["sleep", "3600"]',
          '    init: true',
          '',
        ].join('\n'),
      );
      const up = berth('up', '--exit-code-from', 'job', '--progress', 'quiet');
      expect(up.code, up.stderr).toBe(5);
      const states = berth('ps', '-a', '--format', 'json')
        .stdout.trim()
        .split('\n')
        .map((l) => JSON.parse(l).State);
      expect(states).toEqual(['exited', 'exited']);
    });

    it('rm asks first: no answer (input ends) removes nothing, "y" removes, -f does not ask', async () => {
      const { berth, berthWithInput, name } = stack(
        ['services:', '  job:', `    image: ${TEST_IMAGE}`, '    command: ["true"]', ''].join('\n'),
      );
      const up = berth('up', '-d', '--progress', 'quiet');
      expect(up.code, up.stderr).toBe(0);
      const exited = () => berth('ps', '-a', '--format', 'json').stdout.includes('"State":"exited"');
      await eventually(async () => exited(), 30_000);
      const declined = berthWithInput('', 'rm', '--progress', 'quiet');
      expect(declined.code, declined.stderr).toBe(0);
      expect(declined.stdout).toContain(`Going to remove ${name}-job-1 Are you sure? [yN]`);
      expect(exited()).toBe(true);
      // A global -f before the command is the Compose file, not rm's --force.
      const hoisted = berthWithInput('', '-f', 'compose.yaml', 'rm', '--progress', 'quiet');
      expect(hoisted.stdout, hoisted.stderr).toContain('Are you sure? [yN]');
      expect(exited()).toBe(true);
      const no = berthWithInput('n\n', 'rm', '--progress', 'quiet');
      expect(no.code, no.stderr).toBe(0);
      expect(exited()).toBe(true);
      const yes = berthWithInput('y\n', 'rm', '--progress', 'quiet');
      expect(yes.code, yes.stderr).toBe(0);
      expect(berth('ps', '-a', '--format', 'json').stdout.trim()).toBe('');
      const none = berth('rm', '-f', '--progress', 'quiet');
      expect(none.code).toBe(0);
      expect(none.stderr).toContain('No stopped containers');
    });
  });
}

/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: the stacks hold Compose variables as written in a file */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { availableEngines } from '../../support/engines.js';
import { BERTH_MAIN, type CliResult, cliStacks } from './cli-stack.js';
import { eventually, itOn, projectLeftovers, useEngine } from './harness.js';

/** A long-running service that says hello once, and an optional one behind a profile. */
const STACK = [
  'services:',
  '  web:',
  `    image: ${TEST_IMAGE}`,
  '    command: ["sh", "-c", "echo hello-$$GREETING; exec sleep 3600"]',
  '    init: true',
  '    environment: { GREETING: "${GREETING:-hi}" }',
  '  worker:',
  `    image: ${TEST_IMAGE}`,
  '    command: ["sleep", "3600"]',
  '    init: true',
  '    profiles: [extra]',
  '',
].join('\n');

/** The `ps --format json` lines of a result, parsed. */
function psRows(res: CliResult): Array<Record<string, unknown>> {
  return res.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

for (const target of availableEngines()) {
  describe(`berth commands on ${target.name}`, () => {
    const fx = useEngine(target);
    const it = itOn(target);
    const stack = cliStacks(fx, 'cmds');

    it('pause, unpause, kill -s, start, restart -t, stop -t, top, images, ls, cp, exec and logs flags', async () => {
      const { berth, name, dir } = stack(STACK);
      const q = ['--progress', 'quiet'];
      const state = () => psRows(berth('ps', '-a', '--format', 'json')).map((r) => [r.State, r.ExitCode]);
      // Each run says hello once; the next step waits for it, so no signal cuts it short.
      const hellos = (n: number) =>
        eventually(async () => berth('logs', '--no-log-prefix', 'web').stdout === 'hello-hi\n'.repeat(n));
      expect(berth('up', '-d', ...q).code).toBe(0);
      expect(berth('pause', 'web', ...q).code).toBe(0);
      expect(state()).toEqual([['paused', 0]]);
      expect(berth('unpause', 'web', ...q).code).toBe(0);
      expect(state()).toEqual([['running', 0]]);
      expect(berth('top', 'web').stdout).toMatch(/sleep 3600/);
      expect(berth('images').stdout).toContain(`${name}-web-1`);
      const ls = JSON.parse(berth('ls', '--format', 'json').stdout) as Array<{
        Name: string;
        Status: string;
      }>;
      expect(ls.find((p) => p.Name === name)?.Status).toBe('running(1)');
      // Files both ways.
      writeFileSync(join(dir, 'in.txt'), 'copied in\n');
      expect(berth('cp', 'in.txt', 'web:/tmp/in.txt').code).toBe(0);
      expect(berth('cp', 'web:/tmp/in.txt', 'out.txt').code).toBe(0);
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('copied in\n');
      // exec: environment, working directory, user, index, detached, exit code.
      const exec = berth(
        'exec',
        '-T',
        '-e',
        'X=1',
        '-w',
        '/tmp',
        '-u',
        '1000',
        '--index',
        '1',
        'web',
        'sh',
        '-c',
        'echo $X $(pwd) $(id -u); exit 2',
      );
      expect([exec.code, exec.stdout]).toEqual([2, '1 /tmp 1000\n']);
      expect(berth('exec', '-d', 'web', 'sh', '-c', 'echo bg > /tmp/bg').code).toBe(0);
      await eventually(async () => berth('exec', '-T', 'web', 'cat', '/tmp/bg').stdout === 'bg\n');
      // A signal of the user's choice; the exit code shows which one it was.
      await hellos(1);
      expect(berth('kill', '-s', 'SIGKILL', 'web', ...q).code).toBe(0);
      await eventually(async () => JSON.stringify(state()) === '[["exited",137]]');
      expect(berth('start', 'web', ...q).code).toBe(0);
      await hellos(2);
      expect(berth('restart', '-t', '1', 'web', ...q).code).toBe(0);
      expect(state()).toEqual([['running', 0]]);
      await hellos(3);
      expect(berth('stop', '-t', '5', ...q).code).toBe(0);
      expect(state()).toEqual([['exited', 143]]);
      // Each start said hello once: the first run, start, restart.
      const all = berth('logs', '--no-log-prefix', 'web');
      expect(all.stdout).toBe('hello-hi\nhello-hi\nhello-hi\n');
      expect(berth('logs', '--tail', '1', 'web').stdout).toBe(`${name}-web-1 | hello-hi\n`);
      expect(berth('logs', '-t', '--tail', '1', '--no-log-prefix').stdout).toMatch(
        /^\d{4}-\d\d-\d\dT[\d:.]+Z hello-hi\n$/,
      );
      expect(berth('logs', '--since', '1h', '--no-log-prefix').stdout).toBe(all.stdout);
      expect(berth('logs', '--since', '2099-01-01T00:00:00Z', '--no-log-prefix').stdout).toBe('');
      const bad = berth('logs', '--since', 'yesterday');
      expect([bad.code, bad.stderr]).toEqual([
        1,
        expect.stringMatching(/^--since: cannot parse "yesterday"/),
      ]);
      expect(berth('down', '-t', '1', ...q).code).toBe(0);
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });

    it('up --no-start, create, --scale, --no-recreate, --force-recreate, --remove-orphans, --no-deps, --progress json, --parallel, rm -s -v', async () => {
      const { berth, name, dir } = stack(STACK);
      const q = ['--progress', 'quiet'];
      const rows = () => psRows(berth('ps', '-a', '--format', 'json'));
      expect(berth('create', ...q).code).toBe(0);
      expect(rows().map((r) => r.State)).toEqual(['created']);
      expect(berth('up', '-d', '--no-start', ...q).code).toBe(0);
      expect(rows().map((r) => r.State)).toEqual(['created']);
      // One JSON object per event, each operation reported started and done.
      const up = berth('up', '-d', '--scale', 'web=2', '--parallel', '1', '--progress', 'json');
      expect(up.code, up.stderr).toBe(0);
      const events = up.stderr
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(events.filter((e) => e.state === 'done').map((e) => `${e.resource} ${e.operation}`)).toEqual(
        expect.arrayContaining(['service:web:1 StartContainer', 'service:web:2 StartContainer']),
      );
      const ids = () =>
        rows()
          .map((r) => `${r.Name} ${r.ID}`)
          .sort();
      const scaled = ids();
      expect(scaled.map((s) => s.split(' ')[0])).toEqual([`${name}-web-1`, `${name}-web-2`]);
      // A changed variable with --no-recreate changes nothing; --force-recreate makes new containers under the same names.
      writeFileSync(join(dir, '.env'), 'GREETING=changed\n');
      expect(berth('up', '-d', '--scale', 'web=2', '--no-recreate', ...q).code).toBe(0);
      expect(ids()).toEqual(scaled);
      expect(berth('up', '-d', '--scale', 'web=2', '--force-recreate', '-t', '1', ...q).code).toBe(0);
      const recreated = ids();
      expect(recreated.map((s) => s.split(' ')[0])).toEqual(scaled.map((s) => s.split(' ')[0]));
      expect(recreated.filter((s) => scaled.includes(s))).toEqual([]);
      // Scale down removes the highest number.
      expect(berth('up', '-d', '-t', '1', ...q).code).toBe(0);
      expect(rows().map((r) => r.Name)).toEqual([`${name}-web-1`]);
      // A service of an active profile, then left out: an orphan until --remove-orphans.
      expect(berth('--profile', 'extra', 'up', '-d', '--no-deps', 'worker', ...q).code).toBe(0);
      expect(berth('ps', '--services').stdout).toBe('web\nworker\n');
      // As in Compose, a service whose profile is off is no orphan; one gone from the file is.
      expect(berth('up', '-d', '--remove-orphans', ...q).code).toBe(0);
      expect(berth('ps', '--services').stdout).toBe('web\nworker\n');
      writeFileSync(join(dir, 'compose.yaml'), STACK.slice(0, STACK.indexOf('  worker:')));
      expect(berth('up', '-d', '--progress', 'plain').stderr).toContain(
        `Found orphan containers (${name}-worker-1)`,
      );
      const removed = berth('up', '-d', '--remove-orphans', '-t', '1', '--progress', 'plain');
      expect(removed.stderr).toContain('service:worker:1 RemoveContainer done');
      expect(berth('ps', '-a', '--services').stdout).toBe('web\n');
      // rm -s stops first; -f does not ask; -v takes anonymous volumes.
      const rm = berth('rm', '-s', '-f', '-v', 'web', ...q);
      expect(rm.code, rm.stderr).toBe(0);
      expect(rows()).toEqual([]);
      expect(berth('down', ...q).code).toBe(0);
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });

    it('--project-directory, --env-file and wait with the exit code', async () => {
      const { berth, name, dir, env } = stack(
        [
          'services:',
          '  job:',
          `    image: ${TEST_IMAGE}`,
          '    command: ["sh", "-c", "echo $$WHO; sleep 1; exit $$CODE"]',
          '    environment: { WHO: "${WHO:-nobody}", CODE: "${CODE:-0}" }',
          '',
        ].join('\n'),
      );
      writeFileSync(join(dir, 'other.env'), 'WHO=berth\nCODE=7\n');
      // Run from elsewhere: the project directory and the env file are the stack's.
      const args = [
        '--project-directory',
        dir,
        '--env-file',
        join(dir, 'other.env'),
        'up',
        '-d',
        '--progress',
        'quiet',
      ];
      const up = spawnSync(process.execPath, [BERTH_MAIN, ...args], { cwd: tmpdir(), env, encoding: 'utf8' });
      expect(up.status, up.stderr).toBe(0);
      const wait = berth('wait', 'job');
      expect([wait.code, wait.stdout]).toEqual([
        7,
        expect.stringMatching(/^container "[0-9a-f]{64}" exited with status code 7\n$/),
      ]);
      expect(berth('logs', '--no-log-prefix').stdout).toBe('berth\n');
      expect(berth('down', '--progress', 'quiet').code).toBe(0);
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });

    it('exec and run allocate a TTY when standard input is one, and pass the exit code through', async () => {
      const { berth, name, dir, env } = stack(STACK);
      expect(berth('up', '-d', '--progress', 'quiet').code).toBe(0);
      // `script` gives berth a terminal as its standard input and output.
      const onTty = (...args: string[]) => {
        const command = [process.execPath, BERTH_MAIN, ...args].map((a) => `'${a}'`).join(' ');
        return spawnSync('script', ['-qec', command, '/dev/null'], {
          cwd: dir,
          env,
          encoding: 'utf8',
          input: '',
        });
      };
      const exec = onTty('exec', 'web', 'sh', '-c', 'tty; exit 5');
      expect([exec.status, exec.stdout]).toEqual([5, expect.stringMatching(/\/dev\/pts\/\d+\r/)]);
      const piped = berth('exec', 'web', 'sh', '-c', 'tty; exit 5');
      expect([piped.code, piped.stdout]).toEqual([5, 'not a tty\n']);
      const run = onTty('run', '--rm', '--no-deps', 'web', 'sh', '-c', 'tty; exit 4');
      expect([run.status, run.stdout]).toEqual([4, expect.stringMatching(/\/dev\/pts\/\d+\r/)]);
      expect(berth('ps', '--status', 'running', '-q').stdout).toMatch(/^[0-9a-f]{12,64}\n$/);
      expect(berth('ps', '-a', '--status', 'exited', '-q').stdout).toBe('');
      expect(berth('down', '-t', '1', '--progress', 'quiet').code).toBe(0);
      expect(await projectLeftovers(fx.engine, name)).toEqual([]);
    });
  });
}

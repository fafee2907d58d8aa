import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Build from '../../../src/cli/commands/build.js';
import Cp from '../../../src/cli/commands/cp.js';
import Create from '../../../src/cli/commands/create.js';
import Events from '../../../src/cli/commands/events.js';
import Exec from '../../../src/cli/commands/exec.js';
import Images from '../../../src/cli/commands/images.js';
import Kill from '../../../src/cli/commands/kill.js';
import Logs from '../../../src/cli/commands/logs.js';
import Pause from '../../../src/cli/commands/pause.js';
import Plan from '../../../src/cli/commands/plan.js';
import Port from '../../../src/cli/commands/port.js';
import Ps from '../../../src/cli/commands/ps.js';
import Pull from '../../../src/cli/commands/pull.js';
import Push from '../../../src/cli/commands/push.js';
import Restart from '../../../src/cli/commands/restart.js';
import Rm from '../../../src/cli/commands/rm.js';
import Run from '../../../src/cli/commands/run.js';
import Start from '../../../src/cli/commands/start.js';
import Stop from '../../../src/cli/commands/stop.js';
import Top from '../../../src/cli/commands/top.js';
import Unpause from '../../../src/cli/commands/unpause.js';
import Up from '../../../src/cli/commands/up.js';
import Wait from '../../../src/cli/commands/wait.js';
import { loadProject } from '../../../src/loader/load-project.js';
import { selectServices } from '../../../src/project/project.js';
import { runCommand, stack } from '../commands/run-command.js';

const COMPOSE = ['services:', '  web:', '    image: busybox', ''].join('\n');

// Every command that takes service names, with its arguments naming `nosuch`.
const COMMANDS = [
  ['up', Up, ['-d', 'nosuch']],
  ['create', Create, ['nosuch']],
  ['plan', Plan, ['nosuch']],
  ['start', Start, ['nosuch']],
  ['stop', Stop, ['nosuch']],
  ['restart', Restart, ['nosuch']],
  ['kill', Kill, ['nosuch']],
  ['pause', Pause, ['nosuch']],
  ['unpause', Unpause, ['nosuch']],
  ['rm', Rm, ['-f', 'nosuch']],
  ['pull', Pull, ['nosuch']],
  ['build', Build, ['nosuch']],
  ['push', Push, ['nosuch']],
  ['logs', Logs, ['-f', 'nosuch']],
  ['ps', Ps, ['nosuch']],
  ['exec', Exec, ['-T', 'nosuch', 'true']],
  ['run', Run, ['--rm', '-T', 'nosuch', 'true']],
  ['top', Top, ['nosuch']],
  ['images', Images, ['nosuch']],
  ['events', Events, ['nosuch']],
  ['wait', Wait, ['nosuch']],
  ['port', Port, ['nosuch', '80']],
  ['cp', Cp, ['nosuch:/etc/hostname', '.']],
  ['up (one of several)', Up, ['-d', 'web', 'nosuch']],
] as const;

describe('an unknown service name', () => {
  it.each(
    COMMANDS,
  )('%s: exits 1 with "no such service: nosuch", touching no engine', async (_, cmd, args) => {
    const dir = stack(COMPOSE);
    // An engine that does not exist: the check comes before any connection.
    const host = `unix://${join(dir, 'no-engine.sock')}`;
    const out = await runCommand(cmd, ['--file', join(dir, 'compose.yaml'), '-H', host, ...args]);
    expect([out.exitCode, out.stderr]).toEqual([1, 'no such service: nosuch\n']);
  });
});

describe('selectServices', () => {
  const PROFILED = [
    'services:',
    '  web: { image: busybox }',
    '  tool: { image: busybox, profiles: [tools] }',
    '  helper: { image: busybox, profiles: [tools] }',
    '  debug: { image: busybox, profiles: [debug] }',
    '',
  ].join('\n');

  it('enables the profiles of a named disabled service, as Compose does', async () => {
    const model = await loadProject({ files: [join(stack(PROFILED), 'compose.yaml')] });
    const selected = selectServices(model, ['tool']);
    expect(Object.keys(selected.services).sort()).toEqual(['helper', 'tool', 'web']);
    expect(Object.keys(selected.disabled_services)).toEqual(['debug']);
    expect(selectServices(model, ['web'])).toBe(model);
  });

  it('names the unknown service', async () => {
    const model = await loadProject({ files: [join(stack(PROFILED), 'compose.yaml')] });
    expect(() => selectServices(model, ['web', 'nope'])).toThrow('no such service: nope');
  });
});

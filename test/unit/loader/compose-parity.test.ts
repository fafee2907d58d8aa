// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose interpolation syntax is the subject of these tests
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadProject } from '../../../src/loader/load-project.js';
import { loadTree } from '../../../src/loader/load-tree.js';
import { fixtureOptions, stackFixtures } from '../../fixtures/stacks/fixtures.js';
import { rejection, stackDir } from './stack-dir.js';

/**
 * Interpolation and variable precedence checked against a real Compose implementation: the
 * docker-compose (v1) installed on this machine. Only the syntax both implementations share is
 * compared (v1 knows neither `:+` nor nested defaults).
 */
const TEMPLATES = [
  '$SET',
  '${SET}',
  'pre-${SET}-post',
  '${UNSET}',
  '${UNSET:-d}',
  '${UNSET-d}',
  '${EMPTY:-d}',
  '${EMPTY-d}',
  '${EMPTY?fails only when unset}',
  '${FROM_DOTENV}',
  '${BOTH}',
  '$$SET',
  '${UNSET:-a b c}',
];
const ENV = { SET: 'proc', EMPTY: '', BOTH: 'process wins' };
const DOTENV = 'FROM_DOTENV=dot\nBOTH=dotenv loses\n';

function stackWith(templates: string[]): string {
  const lines = templates.map((t, i) => `      E${i}: ${JSON.stringify(t)}`);
  return `services:\n  a:\n    image: busybox\n    environment:\n${lines.join('\n')}\n`;
}

function composeV1(dir: string): { status: number | null; environment?: Record<string, string> } {
  const run = spawnSync('docker-compose', ['config'], {
    cwd: dir,
    env: { PATH: process.env.PATH, ...ENV },
    encoding: 'utf8',
  });
  if (run.status !== 0) return { status: run.status };
  const environment = parse(run.stdout).services.a.environment as Record<string, string>;
  // v1 writes a literal `$` back escaped as `$$`.
  for (const [k, v] of Object.entries(environment)) environment[k] = String(v).replaceAll('$$', '$');
  return { status: 0, environment };
}

/** A fixture's services as docker-compose resolves them, and the options that load it in berth. */
function fixtureThroughComposeV1(name: string) {
  const options = fixtureOptions(stackFixtures().find((f) => f.name === name)!);
  const run = spawnSync('docker-compose', ['config'], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  return { options, reference: parse(run.stdout).services as Record<string, Record<string, unknown>> };
}

describe('interpolation parity with docker-compose', () => {
  it('substitutes like docker-compose, process environment over .env', async () => {
    const dir = stackDir({ 'compose.yaml': stackWith(TEMPLATES), '.env': DOTENV });
    const reference = composeV1(dir);
    expect(reference.status).toBe(0);
    const { tree } = await loadTree({ cwd: dir, env: ENV });
    const ours = (tree.services as Record<string, { environment: Record<string, string> }>).a!.environment;
    expect(ours).toEqual(reference.environment);
  });

  it.each([
    '${UNSET:?needed}',
    '${EMPTY:?needed}',
    '${UNSET?needed}',
  ])('fails like docker-compose on %s', async (t) => {
    const dir = stackDir({ 'compose.yaml': stackWith([t]) });
    expect(composeV1(dir).status).not.toBe(0);
    const err = await rejection(loadTree({ cwd: dir, env: ENV }));
    expect(err.message).toMatch(/required variable ".+" is missing a value: needed/);
  });
});

describe('.env parity with docker-compose', () => {
  const DOTENV_CASES = [
    '# comment',
    'P1=plain value',
    'export P2=exported',
    'P3="double \\"quoted\\" \\n newline"',
    "P4='single $P1 literal'",
    'P5=inline # comment',
    'P6="multi\nline"',
    'P7=${P1}-ref',
    'P8="${P2}-ref"',
    'P9=a=b=c',
  ].join('\n');

  it('reads .env syntax as docker-compose does', async () => {
    const names = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9'];
    const dir = stackDir({
      'compose.yaml': stackWith(names.map((n) => `\${${n}}`)),
      '.env': `${DOTENV_CASES}\n`,
    });
    const reference = composeV1(dir);
    expect(reference.status).toBe(0);
    const { tree } = await loadTree({ cwd: dir, env: {} });
    const ours = (tree.services as Record<string, { environment: Record<string, string> }>).a!.environment;
    expect(ours).toEqual(reference.environment);
  });
});

describe('merge parity with docker-compose', () => {
  it('merges a discovered override file as docker-compose does', async () => {
    const { options, reference } = fixtureThroughComposeV1('override-discovery');
    const expected = reference.app!;
    const app = (await loadProject(options)).services.app!;
    expect(app.ports.map((p) => ({ published: Number(p.published), target: p.target }))).toEqual(
      expected.ports,
    );
    expect(app.volumes.map((v) => `${v.source}:${v.target}:${v.read_only ? 'ro' : 'rw'}`)).toEqual(
      expected.volumes,
    );
    expect(app.environment).toEqual(expected.environment);
  });
});

describe('extends parity with docker-compose', () => {
  it('resolves extends across files and directories as docker-compose does', async () => {
    const { options, reference } = fixtureThroughComposeV1('extends-files');
    const project = await loadProject(options);
    for (const [name, expected] of Object.entries(reference)) {
      const service = project.services[name]!;
      expect(service.build?.context).toBe((expected.build as { context: string }).context);
      expect(service.command).toEqual(expected.command);
      expect(service.environment).toEqual(expected.environment);
      expect(service.labels).toEqual(expected.labels);
      expect(service.volumes.map((v) => `${v.source}:${v.target}${v.read_only ? ':ro' : ''}`)).toEqual(
        expected.volumes,
      );
    }
  });
});

describe('YAML number parity with docker-compose', () => {
  it('reads a C-style octal (0123) as octal, as docker-compose does', async () => {
    const dir = stackDir({
      'compose.yaml':
        'services:\n  a:\n    image: busybox\n    environment:\n      OCT: 0123\n      DEC: 123\n',
    });
    const reference = composeV1(dir);
    expect(reference.environment).toEqual({ OCT: '83', DEC: '123' });
    const project = await loadProject({ cwd: dir, env: {} });
    expect(project.services.a!.environment).toEqual(reference.environment);
  });

  it('reads secret modes 0440 and 256 as docker-compose does (288 and 256)', async () => {
    const dir = stackDir({
      'compose.yaml': [
        'services:',
        '  a:',
        '    image: busybox',
        '    secrets: [{source: s, mode: 0440}, {source: t, mode: 256}]',
        'secrets: {s: {file: ./s}, t: {file: ./t}}',
      ].join('\n'),
      s: '',
      t: '',
    });
    const run = spawnSync('docker-compose', ['config'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const reference = parse(run.stdout).services.a.secrets as Array<{ mode: number }>;
    const project = await loadProject({ cwd: dir, env: {} });
    expect(project.services.a!.secrets.map((s) => s.mode)).toEqual(reference.map((s) => s.mode));
  });
});

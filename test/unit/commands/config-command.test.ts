import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import Config from '../../../src/cli/commands/config.js';
import { runCommand, stack } from './run-command.js';

const compose = `
name: shop
services:
  web:
    image: example/web:\${TAG:-1.0}
    build: ./web
    depends_on: { db: { condition: service_healthy } }
    environment: { PRICE: "$$5" }
    healthcheck: { test: curl -f localhost, interval: 90s }
    mem_limit: 512m
    volumes: [data:/data]
  db: { image: postgres:16 }
  debug: { image: busybox, profiles: [debug] }
  builder: { build: ., profiles: [tools] }
volumes: { data: {} }
networks: { back: {} }
`;

const config = (dir: string, ...flags: string[]) =>
  runCommand(Config, ['-f', join(dir, 'compose.yaml'), ...flags]);

describe('berth config', () => {
  it('prints the canonical model as YAML with sorted keys and Compose units', async () => {
    const dir = stack(compose);
    const { stdout, exitCode } = await config(dir);
    expect(exitCode).toBe(0);
    const doc = parse(stdout);
    expect(Object.keys(doc)).toEqual(['name', 'networks', 'services', 'volumes']);
    expect(Object.keys(doc.services)).toEqual(['db', 'web']);
    expect(doc.services.web).toMatchObject({
      image: 'example/web:1.0',
      build: { context: join(dir, 'web') },
      healthcheck: { test: ['CMD-SHELL', 'curl -f localhost'], interval: '1m30s' },
      mem_limit: '512m',
      environment: { PRICE: '$$5' },
      depends_on: { db: { condition: 'service_healthy', required: true, restart: false } },
    });
  });

  it('prints JSON with --format json', async () => {
    const { stdout } = await config(stack(compose), '--format', 'json');
    expect(JSON.parse(stdout).volumes).toEqual({ data: { name: 'shop_data' } });
  });

  it('lists services, volumes, networks, profiles and images', async () => {
    const dir = stack(compose);
    expect((await config(dir, '--services')).stdout).toBe('db\nweb\n');
    expect((await config(dir, '--volumes')).stdout).toBe('data\n');
    expect((await config(dir, '--networks')).stdout).toBe('back\ndefault\n');
    expect((await config(dir, '--profiles')).stdout).toBe('debug\ntools\n');
    expect((await config(dir, '--images')).stdout).toBe('example/web:1.0\npostgres:16\n');
    expect((await config(dir, '--images', '--profile', 'tools')).stdout).toBe(
      'example/web:1.0\npostgres:16\nshop-builder\n',
    );
  });

  it('lists the interpolation environment', async () => {
    const dir = stack(compose, { '.env': 'TAG=2.0\nOTHER=x\n' });
    const { stdout } = await runCommand(Config, ['-f', join(dir, 'compose.yaml'), '--environment']);
    const lines = stdout.split('\n');
    expect(lines).toContain('OTHER=x');
    expect(lines).toContain(process.env.TAG === undefined ? 'TAG=2.0' : `TAG=${process.env.TAG}`);
  });

  it('writes the output to a file with -o, whole, and reports a bad place', async () => {
    const dir = stack(compose);
    const target = join(dir, 'resolved.yaml');
    const { stdout } = await config(dir, '-o', target);
    expect(stdout).toBe('');
    expect(readFileSync(target, 'utf8')).toBe((await config(dir)).stdout);
    const bad = await config(dir, '-o', join(dir, 'missing', 'out.yaml'));
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe(`${join(dir, 'missing', 'out.yaml')}: cannot write the output file: ENOENT\n`);
    expect(readdirSync(dir).sort()).toEqual(['compose.yaml', 'resolved.yaml']);
  });

  it('validates only with -q', async () => {
    const { stdout, exitCode } = await config(stack(compose), '-q');
    expect({ stdout, exitCode }).toEqual({ stdout: '', exitCode: 0 });
  });

  it('keeps variables as written with --no-interpolate', async () => {
    const { stdout } = await config(stack(compose), '--no-interpolate');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Compose variable, as written in the file
    expect(parse(stdout).services.web.image).toBe('example/web:${TAG:-1.0}');
  });

  it('reports every problem located, without a stack trace, and exits 1', async () => {
    const dir = stack(
      'services:\n  web:\n    image: x\n    tty: [1]\n    ports: [true]\n    networks: [nope]\n',
    );
    const first = await config(dir);
    expect(first.exitCode).toBe(1);
    expect(first.stdout).toBe('');
    expect(first.stderr.replaceAll(`${dir}/`, '')).toBe(
      [
        'invalid stack file (2 problems):',
        'compose.yaml:4:5 services.web.tty: must be a boolean or string',
        'compose.yaml:5:13 services.web.ports[0]: must be a string, number or mapping',
        '',
      ].join('\n'),
    );
    const other = stack('services:\n  web:\n    image: x\n    networks: [nope]\n');
    const refs = await config(other);
    expect(refs.stderr.replaceAll(`${other}/`, '')).toBe(
      'compose.yaml:4:16 services.web.networks[0]: refers to undefined network "nope"\n',
    );
  });

  // Last: oclif warns asynchronously about a command whose flags failed to parse.
  it('takes one listing flag at a time', async () => {
    const { stderr, exitCode } = await config(stack(compose), '--services', '--images');
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(
      /--images=true cannot also be provided when using --services|cannot also be provided/,
    );
  });
});

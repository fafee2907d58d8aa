import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfsTar, TEST_IMAGE, TEST_IMAGE_CHANGES } from '../../support/busybox-rootfs.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';

const run = promisify(execFile);
const DOCKER = '/usr/local/bin/docker';

const DOCKERFILE = `ARG BASE=${TEST_IMAGE}
FROM \${BASE} AS base
ARG WHO=nobody
RUN echo "hello $WHO" > /greeting
FROM base AS final
COPY message.txt /message.txt
CMD ["sh", "-c", "cat /greeting /message.txt"]
`;

// The real docker CLI's classic builder (DOCKER_BUILDKIT=0) and docker-compose 1.29's `build:`
// (through docker-py, and through the docker CLI) against the embedded engine.
describe('docker CLI: build on the embedded engine', () => {
  let engine: EmbeddedEngine;
  let dir: string;
  let name: string;
  const env = () => ({ ...process.env, DOCKER_HOST: engine.host, DOCKER_BUILDKIT: '0' });
  const docker = async (args: string[]) => (await run(DOCKER, args, { env: env(), cwd: dir })).stdout;

  beforeAll(async () => {
    engine = await startEmbeddedEngine();
    dir = mkdtempSync(join(tmpdir(), 'berth-build-e2e-'));
    name = `${engine.prefix}/app`;
    const changes = TEST_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
    await docker(['import', ...changes, busyboxRootfsTar(), TEST_IMAGE]);
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(dir, 'message.txt'), 'v1\n');
    mkdirSync(join(dir, 'alt'));
    writeFileSync(
      join(dir, 'alt', 'Other.dockerfile'),
      `FROM ${TEST_IMAGE}\nCOPY message.txt /m\nCMD ["cat", "/m"]\n`,
    );
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    engine?.assertNoLeaks();
    await engine?.stop();
  });

  it('docker build -t --build-arg, then docker run the image', async () => {
    const out = await docker([
      'build',
      '-t',
      `${name}:1`,
      '-t',
      `${name}:latest`,
      '--build-arg',
      'WHO=berth',
      '.',
    ]);
    expect(out).toContain('Step 1/7 : ARG BASE=');
    expect(out).toMatch(/Successfully built [0-9a-f]{12}\n/);
    expect(out).toContain(`Successfully tagged ${name}:1\n`);
    expect(out).toContain(`Successfully tagged ${name}:latest\n`);
    expect(await docker(['run', '--rm', `${name}:1`])).toBe('hello berth\nv1\n');
  });

  it('a second build uses the cache; --no-cache does not', async () => {
    const cached = await docker(['build', '-t', `${name}:1`, '--build-arg', 'WHO=berth', '.']);
    expect(cached.split('\n').filter((l) => l === ' ---> Using cache')).toHaveLength(4);
    const fresh = await docker(['build', '--no-cache', '--build-arg', 'WHO=berth', '.']);
    expect(fresh).not.toContain('Using cache');
  });

  it('--target stops at the stage; -f reads another Dockerfile', async () => {
    const target = await docker(['build', '-q', '--target', 'base', '.']);
    const id = target.trim();
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await docker(['run', '--rm', id, 'cat', '/greeting'])).toBe('hello nobody\n');
    await docker(['build', '-f', 'alt/Other.dockerfile', '-t', `${name}:alt`, '.']);
    expect(await docker(['run', '--rm', `${name}:alt`])).toBe('v1\n');
  });

  it('--label and --iidfile', async () => {
    const iid = join(dir, 'iid');
    const out = await docker([
      'build',
      '--label',
      'org.example.built-by=berth',
      '--iidfile',
      iid,
      '-t',
      `${name}:labelled`,
      '.',
    ]);
    expect(out).toContain('LABEL org.example.built-by=berth'); // dockerd's text for a --label step
    const inspect = JSON.parse(await docker(['image', 'inspect', `${name}:labelled`]))[0];
    expect(inspect.Config.Labels).toEqual({ 'org.example.built-by': 'berth' });
    expect(inspect.Id).toBe(readFileSync(iid, 'utf8').trim());
  });

  it('RUN containers get --network, --add-host and --memory', async () => {
    writeFileSync(
      join(dir, 'Hosts'),
      `FROM ${TEST_IMAGE}\nRUN grep -q '10.1.2.3.*myhost' /etc/hosts && test "$(ls /sys/class/net)" = lo && echo isolated\n`,
    );
    const out = await docker([
      'build',
      '--network',
      'none',
      '--add-host',
      'myhost:10.1.2.3',
      '--memory',
      '64m',
      '-f',
      'Hosts',
      '.',
    ]);
    expect(out).toContain('isolated\n');
  });

  it('a failing RUN fails docker build with the command and code', async () => {
    writeFileSync(join(dir, 'Failing'), `FROM ${TEST_IMAGE}\nRUN exit 5\n`);
    const failed = await run(DOCKER, ['build', '-f', 'Failing', '.'], { env: env(), cwd: dir }).catch(
      (e) => e,
    );
    expect(failed.code).toBe(5);
    expect(failed.stderr).toContain("The command '/bin/sh -c exit 5' returned a non-zero code: 5");
  });

  for (const cliBuild of ['0', '1']) {
    it(`docker-compose build (COMPOSE_DOCKER_CLI_BUILD=${cliBuild})`, async () => {
      const project = `${engine.prefix.replace(/[^a-z0-9]/g, '')}c${cliBuild}`;
      writeFileSync(
        join(dir, 'docker-compose.yml'),
        `version: "3.8"\nservices:\n  app:\n    build:\n      context: .\n      args:\n        WHO: compose\n    image: ${name}:compose${cliBuild}\n`,
      );
      const composeEnv = {
        ...env(),
        COMPOSE_DOCKER_CLI_BUILD: cliBuild,
        PATH: `/usr/local/bin:${process.env.PATH}`,
      };
      await run('docker-compose', ['-p', project, 'build'], { env: composeEnv, cwd: dir });
      expect(await docker(['run', '--rm', `${name}:compose${cliBuild}`])).toBe('hello compose\nv1\n');
    });
  }
});

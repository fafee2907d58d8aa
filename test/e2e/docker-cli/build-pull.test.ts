import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfsTar, TEST_IMAGE, TEST_IMAGE_CHANGES } from '../../support/busybox-rootfs.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { type LocalRegistry, startRegistry } from '../../support/registry.js';

const run = promisify(execFile);
const DOCKER = '/usr/local/bin/docker';

// `docker login` then `DOCKER_BUILDKIT=0 docker build` FROM an image only a private registry
// with basic auth has: the CLI sends its stored credentials in X-Registry-Config and the
// embedded engine's builder pulls the base with them.
describe('docker CLI: build pulls its base from a private registry', () => {
  let registry: LocalRegistry;
  let engine: EmbeddedEngine;
  let dir: string;
  let base: string;
  const docker = async (args: string[], input?: string) => {
    const env = {
      ...process.env,
      DOCKER_HOST: engine.host,
      DOCKER_BUILDKIT: '0',
      DOCKER_CONFIG: join(dir, 'config'),
    };
    const child = run(DOCKER, args, { env, cwd: dir });
    if (input !== undefined) child.child.stdin?.end(input);
    return (await child).stdout;
  };

  beforeAll(async () => {
    registry = await startRegistry({ auth: true });
    engine = await startEmbeddedEngine();
    dir = mkdtempSync(join(tmpdir(), 'berth-build-pull-e2e-'));
    base = `${registry.address}/${engine.prefix}/base`;
    const changes = TEST_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
    await docker(['import', ...changes, busyboxRootfsTar(), TEST_IMAGE]);
    const { username, password } = registry.auth as { username: string; password: string };
    await docker(['login', registry.address, '-u', username, '--password-stdin'], password);
    await docker(['tag', TEST_IMAGE, base]);
    await docker(['push', base]);
    await docker(['rmi', base]);
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${base}\nCOPY m /m\n`);
    writeFileSync(join(dir, 'm'), 'pulled\n');
  }, 180_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    engine?.assertNoLeaks();
    await engine?.stop();
    await registry?.stop();
  });

  it('pulls the missing base with the stored credentials and builds on it', async () => {
    const out = await docker(['build', '-t', `${engine.prefix}/app`, '.']);
    expect(out).toContain(`Pulling from ${engine.prefix}/base`);
    expect(out).toContain(`Status: Downloaded newer image for ${base}:latest`);
    expect(out).toMatch(/Successfully built [0-9a-f]{12}/);
    const inspect = await docker(['image', 'inspect', '--format', '{{.Id}}', base]);
    expect(inspect.trim()).toMatch(/^sha256:/);
  });

  it('--pull checks the registry again; without credentials the pull is refused', async () => {
    const again = await docker(['build', '--pull', '-t', `${engine.prefix}/app`, '.']);
    expect(again).toContain(`Status: Image is up to date for ${base}:latest`);
    await docker(['logout', registry.address]);
    await expect(docker(['build', '--pull', '-t', `${engine.prefix}/app`, '.'])).rejects.toThrow(
      /pull access denied/,
    );
  });
});

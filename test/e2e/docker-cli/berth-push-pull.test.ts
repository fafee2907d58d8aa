import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuildEngine } from '../../conformance/build/harness.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import type { EmbeddedEngine } from '../../support/embedded-engine.js';
import { type LocalRegistry, startRegistry } from '../../support/registry.js';

const BERTH_MAIN = resolve(import.meta.dirname, '../../../dist/src/cli/main.js');

// berth's own CLI on the embedded engine and Debian's docker-registry with htpasswd: `berth
// build` makes the service image, `berth push` sends it with the credentials `docker login`
// keeps in config.json, `berth pull` brings it back into an engine that lost it; without
// credentials the push fails with one clear message.
describe('berth build, push and pull on the embedded engine', () => {
  let engine: EmbeddedEngine;
  let registry: LocalRegistry;
  let dir: string;
  let image: string;
  const configs = { with: '', without: '' };

  beforeAll(async () => {
    [engine, registry] = await Promise.all([startBuildEngine(), startRegistry({ auth: true })]);
    dir = mkdtempSync(join(tmpdir(), 'berth-push-pull-'));
    image = `${registry.address}/${engine.prefix}/app:v1`;
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo pushed > /marker\n`);
    writeFileSync(join(dir, 'compose.yaml'), `services:\n  app:\n    build: ./app\n    image: ${image}\n`);
    const { username, password } = registry.auth as { username: string; password: string };
    configs.with = join(dir, 'with');
    configs.without = join(dir, 'without');
    mkdirSync(configs.with);
    mkdirSync(configs.without);
    const auth = Buffer.from(`${username}:${password}`).toString('base64');
    writeFileSync(
      join(configs.with, 'config.json'),
      JSON.stringify({ auths: { [registry.address]: { auth } } }),
    );
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const berth = (config: string, ...args: string[]) => {
    const res = spawnSync(process.execPath, [BERTH_MAIN, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        DOCKER_HOST: engine.host,
        BERTH_HOST: '',
        DOCKER_CONFIG: config,
        COMPOSE_PROJECT_NAME: engine.prefix,
        NO_COLOR: '1',
      },
    });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
  };
  const imageId = async () => {
    const res = await engine.client.request('GET', `/images/${image}/json`);
    return res.status === 200 ? (res.body as { Id: string }).Id : undefined;
  };

  it('builds, then refuses a push without credentials in one clear message', async () => {
    const built = berth(configs.without, 'build');
    expect(built.code, built.stderr).toBe(0);
    expect(await imageId()).toMatch(/^sha256:/);
    const denied = berth(configs.without, 'push');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/authentication required|unauthorized/);
    expect(denied.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('pushes with config.json credentials and pulls the same image back', async () => {
    const id = await imageId();
    const dbg = spawnSync(
      process.execPath,
      [
        '-e',
        `import('${resolve(import.meta.dirname, '../../../dist/src/client/registry-auth.js')}').then(m=>m.loadRegistryAuth('${registry.address}').then(a=>console.log(JSON.stringify(a))))`,
      ],
      { env: { ...process.env, DOCKER_CONFIG: configs.with }, encoding: 'utf8' },
    );
    console.log('DBG', dbg.stdout, dbg.stderr);
    const pushed = berth(configs.with, 'push');
    expect(pushed.code, pushed.stderr).toBe(0);
    expect((await engine.client.request('DELETE', `/images/${image}`)).status).toBe(200);
    expect(await imageId()).toBeUndefined();
    const pulled = berth(configs.with, 'pull');
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(await imageId()).toBe(id);
    expect(`${pushed.stdout}${pushed.stderr}${pulled.stdout}${pulled.stderr}`).not.toContain(
      registry.auth?.password,
    );
  });
});

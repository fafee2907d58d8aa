import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { type LocalRegistry, startRegistry } from '../../support/registry.js';
import { drain, forEachEngine, rejection } from './harness.js';

let plain: LocalRegistry | undefined;
let guarded: LocalRegistry | undefined;

/** The base64 `user:password` of a registry's credentials, as `docker login` stores it. */
function basicAuth(registry: LocalRegistry): string {
  return Buffer.from(`${registry.auth!.username}:${registry.auth!.password}`).toString('base64');
}

/** Runs `fn` with DOCKER_CONFIG pointing at a temporary directory holding `config` as config.json. */
async function withDockerConfig(config: object, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-docker-config-'));
  const saved = process.env.DOCKER_CONFIG;
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  process.env.DOCKER_CONFIG = dir;
  try {
    await fn(dir);
  } finally {
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  plain = await startRegistry();
  guarded = await startRegistry({ auth: true });
});

afterAll(async () => {
  await plain?.stop();
  await guarded?.stop();
});

forEachEngine('registry round trip', (ctx, test) => {
  test('push to and pull from a plain local registry', async () => {
    const { client, prefix, images } = ctx();
    const repo = `${plain!.address}/${prefix}/rt`;
    images.add(`${repo}:v1`);
    await client.images.tag(TEST_IMAGE, repo, 'v1');
    const pushed = await drain(client.images.push(`${repo}:v1`));
    const digest = pushed.find((e) => e.aux?.Digest)?.aux?.Digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    await client.images.remove(`${repo}:v1`);
    const pulled = await drain(client.images.pull(`${repo}:v1`));
    expect(pulled.map((e) => e.status).join('\n')).toContain(`Digest: ${digest}`);
    expect((await client.images.inspect(`${repo}:v1`)).RepoDigests).toContain(`${repo}@${digest}`);
  });

  test('a registry with basic auth refuses anonymous pushes and accepts credentials', async () => {
    const { client, prefix, images } = ctx();
    const repo = `${guarded!.address}/${prefix}/auth`;
    images.add(`${repo}:v1`);
    await client.images.tag(TEST_IMAGE, repo, 'v1');
    const anonymous = await rejection(drain(client.images.push(`${repo}:v1`, { auth: {} })));
    expect(anonymous.kind).toBe('unauthorized');
    const wrong = await rejection(
      drain(
        client.images.push(`${repo}:v1`, {
          auth: { username: 'nobody', password: 'wrong', serveraddress: guarded!.address },
        }),
      ),
    );
    expect(wrong.kind).toBe('unauthorized');
    const auth = { ...guarded!.auth!, serveraddress: guarded!.address };
    const pushed = await drain(client.images.push(`${repo}:v1`, { auth }));
    expect(pushed.some((e) => e.aux?.Digest)).toBe(true);
    await client.images.remove(`${repo}:v1`);
    expect((await rejection(drain(client.images.pull(`${repo}:v1`, { auth: {} })))).kind).toBe(
      'unauthorized',
    );
  });

  test('credentials come from the Docker config file when none are given', async () => {
    const { client, prefix, images } = ctx();
    const repo = `${guarded!.address}/${prefix}/cfg`;
    images.add(`${repo}:v1`);
    await client.images.tag(TEST_IMAGE, repo, 'v1');
    const auths = { [`http://${guarded!.address}`]: { auth: basicAuth(guarded!) } };
    await withDockerConfig({ auths }, async () => {
      await drain(client.images.push(`${repo}:v1`));
      await client.images.remove(`${repo}:v1`);
      await drain(client.images.pull(`${repo}:v1`));
    });
    expect((await client.images.inspect(`${repo}:v1`)).RepoTags).toContain(`${repo}:v1`);
  });

  test('credentials come from a credential helper named in the Docker config file', async () => {
    const { client, prefix, images } = ctx();
    const repo = `${guarded!.address}/${prefix}/helper`;
    images.add(`${repo}:v1`);
    await client.images.tag(TEST_IMAGE, repo, 'v1');
    const { username, password } = guarded!.auth!;
    const answer = JSON.stringify({ ServerURL: guarded!.address, Username: username, Secret: password });
    const script = `#!/bin/sh\n[ "$1" = get ] && server=$(cat) && [ "$server" = "${guarded!.address}" ] && echo '${answer}'\n`;
    await withDockerConfig({ credHelpers: { [guarded!.address]: prefix } }, async (dir) => {
      writeFileSync(join(dir, `docker-credential-${prefix}`), script, { mode: 0o755 });
      const path = process.env.PATH;
      process.env.PATH = `${dir}:${path}`;
      try {
        const pushed = await drain(client.images.push(`${repo}:v1`));
        expect(pushed.some((e) => e.aux?.Digest)).toBe(true);
      } finally {
        process.env.PATH = path;
      }
    });
  });

  test('a build pulls its base image from a registry with credentials from the config file', async () => {
    const { client, prefix, images } = ctx();
    const base = `${guarded!.address}/${prefix}/base:v1`;
    const built = `${prefix}/from-private:v1`;
    images.add(base).add(built);
    const auth = { ...guarded!.auth!, serveraddress: guarded!.address };
    await client.images.tag(TEST_IMAGE, `${guarded!.address}/${prefix}/base`, 'v1');
    await drain(client.images.push(base, { auth }));
    await client.images.remove(base);
    await withDockerConfig({ auths: { [guarded!.address]: { auth: basicAuth(guarded!) } } }, async (dir) => {
      writeFileSync(join(dir, 'Dockerfile'), `FROM ${base}\nLABEL built=from-private\n`);
      await drain(client.images.build(dir, { t: built }));
    });
    expect((await client.images.inspect(built)).Config.Labels).toMatchObject({ built: 'from-private' });
  });

  test('a build with pull fetches a newer base image; without pull it uses the local copy', async () => {
    const { client, prefix, images } = ctx();
    const repo = `${plain!.address}/${prefix}/pullbase`;
    const dir = mkdtempSync(join(tmpdir(), 'berth-build-pull-'));
    images.add(`${repo}:v1`).add(`${prefix}/gen2:v1`).add(`${prefix}/stale:v1`).add(`${prefix}/fresh:v1`);
    try {
      // The registry gets a second generation of the base; the local tag stays the first.
      writeFileSync(join(dir, 'Dockerfile'), `FROM ${TEST_IMAGE}\nLABEL generation=2\n`);
      await drain(client.images.build(dir, { t: `${prefix}/gen2:v1` }));
      await client.images.tag(`${prefix}/gen2:v1`, repo, 'v1');
      await drain(client.images.push(`${repo}:v1`));
      await client.images.tag(TEST_IMAGE, repo, 'v1');
      writeFileSync(join(dir, 'Dockerfile'), `FROM ${repo}:v1\nLABEL derived=yes\n`);
      await drain(client.images.build(dir, { t: `${prefix}/stale:v1` }));
      await drain(client.images.build(dir, { t: `${prefix}/fresh:v1`, pull: true, nocache: true }));
      expect((await client.images.inspect(`${prefix}/stale:v1`)).Config.Labels?.generation).toBeUndefined();
      expect((await client.images.inspect(`${prefix}/fresh:v1`)).Config.Labels).toMatchObject({
        generation: '2',
        derived: 'yes',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('pulling a tag the registry does not have is not-found', async () => {
    const { client, prefix } = ctx();
    const err = await rejection(drain(client.images.pull(`${plain!.address}/${prefix}/missing:v9`)));
    expect(err.kind).toBe('not-found');
  });
});

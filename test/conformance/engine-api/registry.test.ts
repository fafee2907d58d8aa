import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { type LocalRegistry, startRegistry } from '../../support/registry.js';
import { drain, forEachEngine, rejection } from './harness.js';

let plain: LocalRegistry | undefined;
let guarded: LocalRegistry | undefined;

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
    const dir = mkdtempSync(join(tmpdir(), 'berth-docker-config-'));
    const saved = process.env.DOCKER_CONFIG;
    try {
      const { username, password } = guarded!.auth!;
      const auth = Buffer.from(`${username}:${password}`).toString('base64');
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ auths: { [`http://${guarded!.address}`]: { auth } } }),
      );
      process.env.DOCKER_CONFIG = dir;
      await drain(client.images.push(`${repo}:v1`));
      await client.images.remove(`${repo}:v1`);
      await drain(client.images.pull(`${repo}:v1`));
      expect((await client.images.inspect(`${repo}:v1`)).RepoTags).toContain(`${repo}:v1`);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('credentials come from a credential helper named in the Docker config file', async () => {
    const { client, prefix, images } = ctx();
    const repo = `${guarded!.address}/${prefix}/helper`;
    images.add(`${repo}:v1`);
    await client.images.tag(TEST_IMAGE, repo, 'v1');
    const dir = mkdtempSync(join(tmpdir(), 'berth-docker-config-'));
    const saved = { config: process.env.DOCKER_CONFIG, path: process.env.PATH };
    try {
      const { username, password } = guarded!.auth!;
      const answer = JSON.stringify({ ServerURL: guarded!.address, Username: username, Secret: password });
      const helper = join(dir, `docker-credential-${prefix}`);
      writeFileSync(
        helper,
        `#!/bin/sh\n[ "$1" = get ] && server=$(cat) && [ "$server" = "${guarded!.address}" ] && echo '${answer}'\n`,
        {
          mode: 0o755,
        },
      );
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ credHelpers: { [guarded!.address]: prefix } }),
      );
      process.env.DOCKER_CONFIG = dir;
      process.env.PATH = `${dir}:${saved.path}`;
      const pushed = await drain(client.images.push(`${repo}:v1`));
      expect(pushed.some((e) => e.aux?.Digest)).toBe(true);
    } finally {
      for (const [key, value] of [
        ['DOCKER_CONFIG', saved.config],
        ['PATH', saved.path],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    }
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
    const dir = mkdtempSync(join(tmpdir(), 'berth-docker-config-'));
    const saved = process.env.DOCKER_CONFIG;
    try {
      const encoded = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ auths: { [guarded!.address]: { auth: encoded } } }),
      );
      writeFileSync(join(dir, 'Dockerfile'), `FROM ${base}\nLABEL built=from-private\n`);
      process.env.DOCKER_CONFIG = dir;
      await drain(client.images.build(dir, { t: built }));
      expect((await client.images.inspect(built)).Config.Labels).toMatchObject({ built: 'from-private' });
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('pulling a tag the registry does not have is not-found', async () => {
    const { client, prefix } = ctx();
    const err = await rejection(drain(client.images.pull(`${plain!.address}/${prefix}/missing:v9`)));
    expect(err.kind).toBe('not-found');
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfsTar, TEST_IMAGE_CHANGES } from '../../support/busybox-rootfs.js';
import { DOCKER_CLI } from '../../support/docker-cli.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { type LocalRegistry, startRegistry } from '../../support/registry.js';

const exec = promisify(execFile);

// The real docker CLI against the embedded engine and Debian's docker-registry: tag, push, pull,
// and login with htpasswd credentials (kept in a private DOCKER_CONFIG, never the user's).
describe('docker CLI: push and pull through the embedded engine', () => {
  let engine: EmbeddedEngine;
  let plain: LocalRegistry;
  let secured: LocalRegistry;
  let config: string;
  const docker = async (args: string[], input?: string) => {
    const child = exec(DOCKER_CLI, ['--config', config, ...args], {
      env: { ...process.env, DOCKER_HOST: engine.host },
    });
    if (input !== undefined) child.child.stdin?.end(input);
    return (await child).stdout.trim();
  };

  beforeAll(async () => {
    [engine, plain, secured] = await Promise.all([
      startEmbeddedEngine(),
      startRegistry(),
      startRegistry({ auth: true }),
    ]);
    config = mkdtempSync(join(tmpdir(), 'berth-docker-config-'));
    const changes = TEST_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
    await docker(['import', ...changes, busyboxRootfsTar(), `${engine.prefix}/busybox:latest`]);
  });
  afterAll(async () => {
    rmSync(config, { recursive: true, force: true });
    await engine?.stop();
    await Promise.all([plain?.stop(), secured?.stop()]);
  });

  it('tag, push, rmi and pull back the same image', async () => {
    const name = `${plain.address}/${engine.prefix}/busybox`;
    await docker(['tag', `${engine.prefix}/busybox:latest`, `${name}:v1`]);
    const id = await docker(['image', 'inspect', '--format', '{{.Id}}', `${name}:v1`]);
    const pushed = await docker(['push', `${name}:v1`]);
    expect(pushed).toMatch(/Pushed/);
    const digest = /v1: digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(pushed)?.[1];
    expect(digest).toBeDefined();
    expect(await docker(['push', `${name}:v1`])).toMatch(/Layer already exists/);
    await docker(['rmi', `${name}:v1`]);
    const pulled = await docker(['pull', `${name}:v1`]);
    expect(pulled).toContain(`Digest: ${digest}`);
    // The image is still held (under its first tag): as dockerd, nothing per layer, nothing moved.
    expect(pulled).not.toMatch(/Already exists|Pull complete/);
    expect(pulled).toContain(`Status: Downloaded newer image for ${name}:v1`);
    expect(
      await docker(['image', 'inspect', '--format', '{{.Id}} {{index .RepoDigests 0}}', `${name}:v1`]),
    ).toBe(`${id} ${name}@${digest}`);
    expect(await docker(['pull', `${name}@${digest}`])).toContain(`Digest: ${digest}`);
  });

  it('login, push and pull with basic auth', async () => {
    const creds = secured.auth as { username: string; password: string };
    await expect(
      docker(['login', '-u', creds.username, '--password-stdin', secured.address], 'wrong'),
    ).rejects.toThrow(/unauthorized/);
    expect(
      await docker(['login', '-u', creds.username, '--password-stdin', secured.address], creds.password),
    ).toMatch(/Login Succeeded/);
    const name = `${secured.address}/${engine.prefix}/private`;
    await docker(['tag', `${engine.prefix}/busybox:latest`, `${name}:v1`]);
    expect(await docker(['push', `${name}:v1`])).toMatch(/v1: digest: sha256:/);
    await docker(['rmi', `${name}:v1`]);
    await docker(['logout', secured.address]);
    await expect(docker(['pull', `${name}:v1`])).rejects.toThrow(/pull access denied/);
  });
});

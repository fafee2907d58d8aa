import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarOf } from '../../fixtures/archives/build-tar.js';
import { busyboxRootfsTar } from '../../support/busybox-rootfs.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { type LocalRegistry, startRegistry } from '../../support/registry.js';
import { jsonLines, send } from '../images/api-client.js';

// Basic auth against docker-registry with htpasswd: credentials come in X-Registry-Auth, are
// answered to the registry's challenge, and are required for both push and pull.
describe('embedded engine: registry with basic auth', () => {
  let registry: LocalRegistry;
  let engine: EmbeddedEngine;
  let repo: string;
  let auth: string;
  const api = (method: string, path: string, headers: Record<string, string> = {}, body?: { file: string }) =>
    send(engine.socketPath, method, path, body, headers);

  beforeAll(async () => {
    registry = await startRegistry({ auth: true });
    engine = await startEmbeddedEngine();
    repo = `${registry.address}/${engine.prefix}/secret`;
    const creds = registry.auth as { username: string; password: string };
    auth = Buffer.from(JSON.stringify({ ...creds, serveraddress: registry.address })).toString('base64url');
    const imported = await api(
      'POST',
      `/images/create?fromSrc=-&repo=${repo}&tag=v1`,
      {},
      { file: busyboxRootfsTar() },
    );
    expect(imported.status).toBe(200);
  });
  afterAll(async () => {
    await engine?.stop();
    await registry?.stop();
  });

  it('refuses a push without credentials, in the stream', async () => {
    const lines = jsonLines((await api('POST', `/images/${repo}/push?tag=v1`)).text);
    const errors = lines.filter((l) => l.error).map((l) => l.error);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/unauthorized: authentication required/);
    expect(JSON.stringify(lines)).not.toContain(registry.auth?.password);
  });

  it('pushes with X-Registry-Auth', async () => {
    const lines = jsonLines(
      (await api('POST', `/images/${repo}/push?tag=v1`, { 'X-Registry-Auth': auth })).text,
    );
    expect(lines.filter((l) => l.error)).toEqual([]);
    expect(lines.filter((l) => l.status === 'Pushed')).toHaveLength(1);
    expect(engine.log()).not.toContain(registry.auth?.password);
    expect(engine.log()).not.toContain(auth);
  });

  it('pushes several layers at once with credentials: every parallel upload answers the challenge', async () => {
    const context = tarOf([
      {
        name: 'Dockerfile',
        data: `FROM ${repo}:v1\nCOPY a.txt /a.txt\nCOPY b.txt /b.txt\nCOPY c.txt /c.txt\n`,
      },
      { name: 'a.txt', data: 'a\n' },
      { name: 'b.txt', data: 'b\n' },
      { name: 'c.txt', data: 'c\n' },
    ]);
    const built = await send(
      engine.socketPath,
      'POST',
      `/build?t=${encodeURIComponent(`${repo}:layers`)}`,
      context,
    );
    expect(jsonLines(built.text).filter((l) => l.error)).toEqual([]);
    // An anonymous attempt first (as a user before `docker login`), then the real one.
    expect(jsonLines((await api('POST', `/images/${repo}/push?tag=layers`)).text).some((l) => l.error)).toBe(
      true,
    );
    const lines = jsonLines(
      (await api('POST', `/images/${repo}/push?tag=layers`, { 'X-Registry-Auth': auth })).text,
    );
    expect(lines.filter((l) => l.error)).toEqual([]);
    expect(lines.filter((l) => l.status === 'Pushed')).toHaveLength(3);
    expect(lines.filter((l) => l.status === 'Layer already exists')).toHaveLength(1);
    expect((await api('DELETE', `/images/${repo}:layers`)).status).toBe(200);
  });

  it('refuses an anonymous pull and pulls with credentials', async () => {
    expect((await api('DELETE', `/images/${repo}:v1`)).status).toBe(200);
    const denied = await api('POST', `/images/create?fromImage=${repo}&tag=v1`);
    expect(denied.status).toBe(404);
    expect(denied.json<{ message: string }>().message).toMatch(
      new RegExp(
        `^pull access denied for ${repo.replace(/[.]/g, '\\.')}, repository does not exist or may require 'docker login'`,
      ),
    );
    const wrong = Buffer.from(
      JSON.stringify({ username: registry.auth?.username, password: 'wrong' }),
    ).toString('base64url');
    expect(
      (await api('POST', `/images/create?fromImage=${repo}&tag=v1`, { 'X-Registry-Auth': wrong })).status,
    ).toBe(404);
    const ok = await api('POST', `/images/create?fromImage=${repo}&tag=v1`, { 'X-Registry-Auth': auth });
    expect(ok.status).toBe(200);
    expect(jsonLines(ok.text)).toContainEqual({ status: `Status: Downloaded newer image for ${repo}:v1` });
    expect(engine.log()).not.toContain(registry.auth?.password);
  });
});

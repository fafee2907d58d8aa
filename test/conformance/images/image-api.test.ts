import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarOf } from '../../fixtures/archives/build-tar.js';
import { busyboxRootfsTar, TEST_IMAGE_CHANGES } from '../../support/busybox-rootfs.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { jsonLines, send } from './api-client.js';

interface InspectBody {
  Id: string;
  RepoTags: string[];
  Config: { Cmd: string[]; Env: string[] };
  RootFS: { Layers: string[] };
  GraphDriver: { Name: string };
  Os: string;
}

// The image endpoints of the embedded engine, driven over its socket: import, inspect, list,
// tag, history, save and load back, delete with layer removal, prune.
describe('embedded engine: images', () => {
  let engine: EmbeddedEngine;
  let repo: string;
  let busyboxId: string;
  const api = (method: string, path: string, body?: Buffer | { file: string }) =>
    send(engine.socketPath, method, path, body);

  beforeAll(async () => {
    engine = await startEmbeddedEngine();
    repo = `${engine.prefix}/busybox`;
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('imports a root filesystem with changes', async () => {
    const changes = TEST_IMAGE_CHANGES.map((c) => `changes=${encodeURIComponent(c)}`).join('&');
    const res = await api('POST', `/v1.41/images/create?fromSrc=-&repo=${repo}&tag=latest&${changes}`, {
      file: busyboxRootfsTar(),
    });
    expect(res.status, res.text).toBe(200);
    busyboxId = jsonLines(res.text)[0]?.status as string;
    expect(busyboxId).toMatch(/^sha256:[a-f0-9]{64}$/);
    const inspect = await api('GET', `/images/${repo}/json`);
    expect(inspect.status).toBe(200);
    const body = inspect.json<InspectBody>();
    expect(body.Id).toBe(busyboxId);
    expect(body.RepoTags).toEqual([`${repo}:latest`]);
    expect(body.Config.Cmd).toEqual(['sh']);
    expect(body.Config.Env).toEqual(['PATH=/usr/sbin:/usr/bin:/sbin:/bin']);
    expect(body.RootFS.Layers).toHaveLength(1);
    expect(body.GraphDriver.Name).toBe('overlay2');
    expect(body.Os).toBe('linux');
  });

  it('resolves names, full and short IDs; unknown names are 404', async () => {
    for (const ref of [busyboxId, busyboxId.slice(7), busyboxId.slice(7, 19), `docker.io/${repo}:latest`]) {
      expect((await api('GET', `/images/${ref}/json`)).json<{ Id: string }>().Id).toBe(busyboxId);
    }
    const missing = await api('GET', '/images/nope-nothing:1/json');
    expect(missing.status).toBe(404);
    expect(missing.json<{ message: string }>().message).toBe('No such image: nope-nothing:1');
  });

  it('tags, lists with filters, and shows history', async () => {
    expect((await api('POST', `/images/${repo}/tag?repo=${repo}&tag=v2`)).status).toBe(201);
    expect(
      (await api('POST', `/images/${repo}/tag?repo=localhost:5000/${engine.prefix}/x&tag=1`)).status,
    ).toBe(201);
    const filters = encodeURIComponent(JSON.stringify({ reference: { [`${repo}:v2`]: true } }));
    const list = (await api('GET', `/images/json?filters=${filters}`)).json<Array<{ RepoTags: string[] }>>();
    expect(list).toHaveLength(1);
    // Docker lists only the names that matched the reference filter.
    expect(list[0]?.RepoTags).toEqual([`${repo}:v2`]);
    const history = (await api('GET', `/images/${repo}:v2/history`)).json<
      Array<{ Id: string; Comment: string }>
    >();
    expect(history[0]?.Id).toBe(busyboxId);
    expect(history[0]?.Comment).toBe('Imported from -');
    const bad = await api('POST', `/images/${repo}/tag?repo=UPPER&tag=x`);
    expect(bad.status).toBe(400);
  });

  it('saves and loads back the same image ID', async () => {
    const saved = await api('GET', `/images/${repo}:v2/get`);
    expect(saved.status).toBe(200);
    expect((await api('DELETE', `/images/localhost:5000/${engine.prefix}/x:1`)).json()).toEqual([
      { Untagged: `localhost:5000/${engine.prefix}/x:1` },
    ]);
    const loaded = await api('POST', '/images/load?quiet=1', saved.body);
    expect(loaded.status, loaded.text).toBe(200);
    expect(jsonLines(loaded.text)).toContainEqual({ stream: `Loaded image: ${repo}:v2\n` });
  });

  it('refuses an archive that is not an image', async () => {
    const res = await api('POST', '/images/load', tarOf([{ name: 'hello', data: 'x' }]));
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(
      /neither a docker save archive nor an OCI image layout/,
    );
  });

  it('deletes by ID with every tag, removing the layers; then answers 404', async () => {
    const byIdConflict = await api('DELETE', `/images/${busyboxId.slice(7, 19)}`);
    expect(byIdConflict.status).toBe(200);
    const records = byIdConflict.json<Array<Record<string, string>>>();
    expect(
      records
        .filter((r) => r.Untagged)
        .map((r) => r.Untagged)
        .sort(),
    ).toEqual([`${repo}:latest`, `${repo}:v2`]);
    expect(records).toContainEqual({ Deleted: busyboxId });
    expect(records.length).toBe(4);
    expect((await api('GET', `/images/${busyboxId}/json`)).status).toBe(404);
    expect((await api('GET', '/images/json')).json()).toEqual([]);
  });

  it('answers a pull it cannot complete with one clear error naming the registry', async () => {
    // A registry on loopback that refuses connections: tests send nothing off the machine.
    const res = await api('POST', '/images/create?fromImage=127.0.0.1:1/berth-none&tag=latest');
    expect([404, 500, 502, 503]).toContain(res.status);
    expect(res.json<{ message: string }>().message).toMatch(/127\.0\.0\.1:1/);
    const missing = await api('POST', '/images/create');
    expect(missing.status).toBe(400);
    expect(missing.json<{ message: string }>().message).toMatch(/fromSrc or fromImage/);
  });
});

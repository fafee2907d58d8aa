import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';

let engine: EmbeddedEngine;
beforeAll(async () => {
  engine = await startEmbeddedEngine();
});
afterAll(async () => {
  engine?.assertNoLeaks();
  await engine?.stop();
});

/** Reads `/events` with a query until `count` JSON lines arrived (or the stream ends). */
function readEvents(query: string, count: number, onOpen: () => Promise<void> = async () => {}) {
  return new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
    const events: Array<Record<string, unknown>> = [];
    const req = request({ socketPath: engine.socketPath, path: `/v1.41/events?${query}` }, (res) => {
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const l of lines) if (l.trim()) events.push(JSON.parse(l));
        if (events.length >= count) {
          req.destroy();
          resolve(events);
        }
      });
      res.on('end', () => resolve(events));
      onOpen().catch(reject);
    });
    req.on('error', (err) => (events.length >= count ? undefined : reject(err)));
    req.end();
  });
}

describe('engine API over its socket', () => {
  it('answers HEAD and GET /_ping with the API version and no-cache', async () => {
    for (const method of ['GET', 'HEAD']) {
      const r = await engine.client.request(method, '/_ping');
      expect(r.status).toBe(200);
      expect(r.text).toBe(method === 'GET' ? 'OK' : '');
      expect(r.headers['api-version']).toBe('1.41');
      expect(r.headers['builder-version']).toBe('1');
      expect(r.headers['cache-control']).toContain('no-cache');
    }
  });

  it('serves /version versioned and unversioned', async () => {
    const a = await engine.client.request('GET', '/version');
    const b = await engine.client.request('GET', '/v1.24/version');
    expect(a.body).toMatchObject({ ApiVersion: '1.41', MinAPIVersion: '1.12', Os: 'linux' });
    expect(b.body).toEqual(a.body);
    expect((a.body as { Components: Array<{ Name: string }> }).Components[0]!.Name).toBe('Engine');
  });

  it('serves /info with counts, paths and the runtime', async () => {
    const info = (await engine.client.request('GET', '/info')).body as Record<string, unknown>;
    expect(info).toMatchObject({
      Driver: 'overlay2',
      DockerRootDir: engine.dataRoot,
      CgroupDriver: 'cgroupfs',
      Swarm: { LocalNodeState: 'inactive' },
      OSType: 'linux',
    });
    expect(['1', '2']).toContain(info.CgroupVersion);
    expect(['crun', 'runc']).toContain(info.DefaultRuntime);
    expect(info.Runtimes).toHaveProperty(String(info.DefaultRuntime));
    expect(typeof info.Containers).toBe('number');
    expect(info.NCPU).toBeGreaterThan(0);
  });

  it('answers unknown routes 404 and bad versions 400', async () => {
    expect(await engine.client.request('GET', '/v1.41/bogus')).toMatchObject({
      status: 404,
      body: { message: 'page not found' },
    });
    const old = await engine.client.request('GET', '/v1.5/version');
    expect(old.status).toBe(400);
    expect((old.body as { message: string }).message).toMatch(/too old/);
  });

  it('refuses a malformed JSON body with 400 naming the endpoint', async () => {
    const r = await new Promise<{ status: number; text: string }>((resolve) => {
      const req = request(
        { socketPath: engine.socketPath, method: 'POST', path: '/v1.41/volumes/create' },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.end('{"Name": ');
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).message).toMatch(/^POST \/volumes\/create: malformed JSON body/);
  });

  it('creates, lists, inspects and removes volumes', async () => {
    const name = `${engine.prefix}-vol`;
    const created = await engine.client.request('POST', '/v1.41/volumes/create', {
      Name: name,
      Labels: { t: '1' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ Name: name, Driver: 'local', Labels: { t: '1' }, Scope: 'local' });
    const anon = await engine.client.request('POST', '/volumes/create', {});
    const anonName = (anon.body as { Name: string }).Name;
    expect(anonName).toMatch(/^[0-9a-f]{64}$/);
    const listed = await engine.client.request(
      'GET',
      `/volumes?filters=${encodeURIComponent('{"label":{"t=1":true}}')}`,
    );
    expect((listed.body as { Volumes: Array<{ Name: string }> }).Volumes.map((v) => v.Name)).toEqual([name]);
    expect((await engine.client.request('GET', `/volumes/${name}`)).body).toEqual(created.body);
    expect((await engine.client.request('DELETE', `/volumes/${name}`)).status).toBe(204);
    expect(await engine.client.request('GET', `/volumes/${name}`)).toMatchObject({
      status: 404,
      body: { message: `get ${name}: no such volume` },
    });
    const pruned = await engine.client.request('POST', '/volumes/prune');
    expect((pruned.body as { VolumesDeleted: string[] }).VolumesDeleted).toEqual([anonName]);
  });

  it('streams live events matching filters, and replays between since and until', async () => {
    const from = Date.now() / 1000;
    const name = `${engine.prefix}-ev`;
    const filters = encodeURIComponent(JSON.stringify({ type: ['volume'], event: ['create'] }));
    const live = await readEvents(`filters=${filters}`, 1, async () => {
      await engine.client.request('POST', '/volumes/create', { Name: name });
    });
    expect(live[0]).toMatchObject({ Type: 'volume', Action: 'create', Actor: { ID: name }, scope: 'local' });
    await engine.client.request('DELETE', `/volumes/${name}`);
    const until = Date.now() / 1000 + 0.001;
    const past = await readEvents(`since=${from.toFixed(9)}&until=${until.toFixed(9)}`, 100);
    // Date.now() has millisecond resolution, so an earlier test's last event may share `from`'s millisecond.
    const ours = past.filter((e) => (e.Actor as { ID?: string } | undefined)?.ID === name);
    expect(ours.map((e) => e.Action)).toEqual(['create', 'destroy']);
    const none = await readEvents(
      `since=${from.toFixed(9)}&until=${until.toFixed(9)}&filters=${encodeURIComponent('{"type":["image"]}')}`,
      100,
    );
    expect(none).toEqual([]);
  });
});

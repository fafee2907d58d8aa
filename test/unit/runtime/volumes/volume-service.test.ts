import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse, Route } from '../../../../runtime/api/route.js';
import type { EngineContext } from '../../../../runtime/context.js';
import { EngineError } from '../../../../runtime/errors.js';
import { type EngineEvent, EventBus } from '../../../../runtime/events/event-bus.js';
import { RecordingHost } from '../../../../runtime/host/recording-host.js';
import { VolumeService } from '../../../../runtime/volumes/volume-service.js';

let root: string;
let host: RecordingHost;
let events: EngineEvent[];
let inUse: Set<string>;

function service(): VolumeService {
  const bus = new EventBus(() => 1_700_000_000_000);
  bus.subscribe((e) => events.push(e));
  const ctx: EngineContext = {
    dataRoot: root,
    runRoot: join(root, 'run'),
    host,
    events: bus,
    now: () => 1_700_000_000_000,
    log: () => {},
    options: { dnsForwarding: false },
  };
  return new VolumeService(ctx, {
    containers: { imagesInUse: () => new Set(), volumesInUse: () => inUse, lookup: () => undefined },
  });
}

/** Calls a route handler the way the server would, returning status and body. */
async function call(
  routes: Route[],
  method: string,
  path: string,
  params = {},
  init: { body?: unknown; query?: string } = {},
) {
  const route = routes.find((r) => r.method === method && r.path === path)!;
  const query = new URLSearchParams(init.query ?? '');
  let out: { status: number; body?: unknown } = { status: 0 };
  const req = {
    method,
    path,
    params,
    query,
    json: async () => init.body ?? {},
    flag: (n: string) => query.get(n) === '1' || query.get(n) === 'true',
    filters: () => JSON.parse(query.get('filters') ?? '{}'),
  } as unknown as ApiRequest;
  const res = {
    json: (status: number, body: unknown) => (out = { status, body }),
    empty: (status: number) => (out = { status }),
  } as unknown as ApiResponse;
  await route.handler(req, res);
  return out;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-volumes-'));
  host = new RecordingHost();
  events = [];
  inUse = new Set();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('VolumeService', () => {
  it('creates named volumes with labels, stores them, and reloads them', async () => {
    const svc = service();
    await svc.init();
    const v = await svc.create('data', { a: 'b' });
    expect(v).toMatchObject({ Name: 'data', Driver: 'local', Labels: { a: 'b' }, Scope: 'local' });
    expect(v.Mountpoint).toBe(join(root, 'volumes/data/_data'));
    expect(existsSync(v.Mountpoint)).toBe(true);
    expect(events.map((e) => [e.Type, e.Action, e.Actor.ID])).toEqual([['volume', 'create', 'data']]);
    const again = service();
    await again.init();
    expect(await again.ensure('data')).toEqual(v);
  });

  it('names anonymous volumes with 64 hex digits', async () => {
    const svc = service();
    await svc.init();
    expect((await svc.create(undefined)).Name).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(['a', '-x', 'has space', '../up', 'x/y'])('refuses the name %j', async (name) => {
    const svc = service();
    await svc.init();
    await expect(svc.create(name)).rejects.toThrow(/invalid characters for a local volume name/);
  });

  it('refuses unknown driver options and other drivers', async () => {
    const svc = service();
    await svc.init();
    await expect(svc.create('v1', {}, { bogus: '1' })).rejects.toThrow('invalid option key: "bogus"');
    const routes = svc.routes();
    await expect(
      call(routes, 'POST', '/volumes/create', {}, { body: { Name: 'x', Driver: 'nfsplug' } }),
    ).rejects.toThrow(/plugin "nfsplug" not found/);
  });

  it.each([
    { Name: 5 },
    { Labels: ['a'] },
    { Labels: { a: 1 } },
    { DriverOpts: 'x' },
  ])('refuses the malformed body %j with a 400', async (body) => {
    const svc = service();
    await svc.init();
    const err = await call(svc.routes(), 'POST', '/volumes/create', {}, { body }).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).status).toBe(400);
  });

  it('removes unused volumes, refuses used ones with 409, 404s unknown ones unless forced', async () => {
    const svc = service();
    await svc.init();
    await svc.create('keep');
    inUse.add('keep');
    const err = await svc.remove('keep').catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).status).toBe(409);
    await expect(svc.remove('keep', true)).rejects.toThrow(/in use/);
    await expect(svc.remove('ghost')).rejects.toThrow('get ghost: no such volume');
    await svc.remove('ghost', true);
    inUse.clear();
    await svc.remove('keep');
    expect(existsSync(join(root, 'volumes/keep'))).toBe(false);
  });

  it('lists with filters and prunes unused volumes, reporting the space', async () => {
    const svc = service();
    await svc.init();
    await svc.create('web-data', { app: 'web' });
    await svc.create('db-data', { app: 'db' });
    writeFileSync(join(root, 'volumes/db-data/_data/f'), 'x'.repeat(100));
    inUse.add('web-data');
    const routes = svc.routes();
    const list = async (filters: object) =>
      (
        (await call(routes, 'GET', '/volumes', {}, { query: `filters=${JSON.stringify(filters)}` })).body as {
          Volumes: Array<{ Name: string }>;
        }
      ).Volumes.map((v) => v.Name);
    expect(await list({})).toEqual(['db-data', 'web-data']);
    expect(await list({ label: ['app=db'] })).toEqual(['db-data']);
    expect(await list({ name: ['web'] })).toEqual(['web-data']);
    expect(await list({ dangling: ['true'] })).toEqual(['db-data']);
    expect(await list({ dangling: ['false'] })).toEqual(['web-data']);
    const pruned = await call(routes, 'POST', '/volumes/prune');
    expect(pruned).toEqual({ status: 200, body: { VolumesDeleted: ['db-data'], SpaceReclaimed: 100 } });
  });

  it('mounts option volumes for their first user and unmounts after the last', async () => {
    const svc = service();
    await svc.init();
    const v = await svc.create('scratch', {}, { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
    expect(await svc.mount('scratch', 'c1')).toBe(v.Mountpoint);
    await svc.mount('scratch', 'c2');
    expect(host.calls).toEqual([
      { op: 'mount', mount: { type: 'tmpfs', source: 'tmpfs', target: v.Mountpoint, options: ['size=1m'] } },
    ]);
    await expect(svc.remove('scratch')).rejects.toThrow(/in use/);
    await svc.unmount('scratch', 'c1');
    expect(host.calls).toHaveLength(1);
    await svc.unmount('scratch', 'c2');
    expect(host.calls.at(-1)).toEqual({ op: 'unmount', target: v.Mountpoint });
    expect(
      events.filter((e) => e.Action.endsWith('mount')).map((e) => [e.Action, e.Actor.Attributes.container]),
    ).toEqual([
      ['mount', 'c1'],
      ['mount', 'c2'],
      ['unmount', 'c1'],
      ['unmount', 'c2'],
    ]);
    await svc.remove('scratch');
  });

  it('binds a device with o=bind', async () => {
    const svc = service();
    await svc.init();
    const v = await svc.create('bv', {}, { type: 'none', device: '/srv/x', o: 'bind' });
    await svc.mount('bv', 'c', { destination: '/srv', readWrite: false });
    expect(events.at(-1)?.Actor.Attributes).toEqual({
      container: 'c',
      driver: 'local',
      destination: '/srv',
      'read/write': 'false',
      propagation: '',
    });
    expect(host.calls[0]).toEqual({
      op: 'mount',
      mount: { type: 'bind', source: '/srv/x', target: v.Mountpoint, options: [] },
    });
    await svc.unmount('bv', 'c');
  });

  it('clears directories a crash left without metadata, but never deletes through a mount', async () => {
    mkdirSync(join(root, 'volumes/half/_data'), { recursive: true });
    mkdirSync(join(root, 'volumes/busy/_data'), { recursive: true });
    writeFileSync(join(root, 'volumes/busy/_data/precious'), 'x');
    await host.mount({ type: 'bind', source: '/srv', target: join(root, 'volumes/busy/_data'), options: [] });
    const svc = service();
    await svc.init();
    expect(existsSync(join(root, 'volumes/half'))).toBe(false);
    expect(existsSync(join(root, 'volumes/busy/_data/precious'))).toBe(true);
  });
});

import { expect } from 'vitest';
import { EngineClient } from '../../../src/client/engine-client.js';
import { MIN_API_VERSION } from '../../../src/client/version.js';
import { eventually } from '../../support/eventually.js';
import { forEachEngine, rejection } from './harness.js';

forEachEngine('system', (ctx, test) => {
  test('ping reports the API version and negotiation uses it', async () => {
    const ping = await ctx().client.system.ping();
    expect(ping.apiVersion).toMatch(/^1\.\d+$/);
    const version = await ctx().client.apiVersion();
    expect(Number(version.split('.')[1])).toBeGreaterThanOrEqual(Number(MIN_API_VERSION.split('.')[1]));
  });

  test('version and info describe the engine', async () => {
    const version = await ctx().client.system.version();
    expect(version.ApiVersion).toMatch(/^1\.\d+$/);
    expect(version.Os).toBe('linux');
    const info = await ctx().client.system.info();
    expect(info.OSType).toBe('linux');
    expect(typeof info.NCPU).toBe('number');
  });

  test('events streams what happens, filtered, until aborted', async () => {
    const { client, container } = ctx();
    const abort = new AbortController();
    const since = new Date(Date.now() - 1000);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const e of client.system.events({
        since,
        filters: { type: ['container'], event: ['create', 'destroy'] },
        signal: abort.signal,
      })) {
        if (e.Actor.Attributes.name?.startsWith(ctx().prefix))
          seen.push(`${e.Action} ${e.Actor.Attributes.name}`);
      }
    })();
    const id = await container('events');
    await client.containers.remove(id);
    await eventually(() =>
      expect(seen).toEqual([`create ${ctx().prefix}-events`, `destroy ${ctx().prefix}-events`]),
    );
    abort.abort();
    const err = await rejection(reading);
    expect(err.kind).toBe('cancelled');
  });

  test('events between since and until end by themselves', async () => {
    const until = new Date();
    const events = [];
    for await (const e of ctx().client.system.events({ since: new Date(until.getTime() - 60_000), until }))
      events.push(e);
    expect(Array.isArray(events)).toBe(true);
  });

  test('an engine that is not there is unavailable, naming the endpoint and how to start one', async () => {
    const client = new EngineClient({ host: `unix:///tmp/${ctx().prefix}-missing.sock` });
    const err = await rejection(client.containers.list());
    expect(err.kind).toBe('unavailable');
    expect(err.context.endpoint).toBe('GET /containers/json');
    expect(err.message).toBe(
      `cannot reach the engine at unix:///tmp/${ctx().prefix}-missing.sock: no such socket. Start one with \`berth engine start\`, or point --host/DOCKER_HOST at a Docker daemon`,
    );
  });

  test('a pinned API version older than the engine minimum is refused as invalid', async () => {
    const client = new EngineClient({ host: ctx().engine.host, apiVersion: '1.5' });
    const err = await rejection(client.system.info());
    expect(err.kind).toBe('invalid');
    expect(err.message).toMatch(/1\.5/);
  });
});

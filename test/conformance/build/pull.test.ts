import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedEngine, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { type LocalRegistry, startRegistry } from '../../support/registry.js';
import { jsonLines, send } from '../images/api-client.js';
import { build, startBuildEngine } from './harness.js';

type Line = Record<string, unknown>;
const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

// The builder pulls base images it lacks (and every base with pull=1) from a private registry
// with basic auth, using the credentials `docker build` sends in X-Registry-Config, and passes
// Docker's pull progress into the build output.
describe('embedded engine: build pulls its base images', () => {
  let registry: LocalRegistry;
  let source: EmbeddedEngine;
  let builder: EmbeddedEngine;
  let base: string;
  let auth: string;
  let config: string;

  /** Builds `files` on the source engine as `base` and pushes it; returns the image ID. */
  const publish = async (marker: string): Promise<string> => {
    const built = await build(
      source,
      { Dockerfile: 'FROM berth-test/busybox\nCOPY m /m\n', m: marker },
      { t: base },
    );
    expect(built.error).toBeUndefined();
    const pushed = await send(source.socketPath, 'POST', `/images/${base}/push?tag=latest`, undefined, {
      'X-Registry-Auth': auth,
    });
    expect(jsonLines(pushed.text).filter((l) => l.error)).toEqual([]);
    return built.id as string;
  };
  const imageId = async (ref: string) => {
    const res = await send(builder.socketPath, 'GET', `/images/${ref}/json`);
    return res.status === 200 ? res.json<{ Id: string }>().Id : undefined;
  };
  const dockerfile = (extra: string) => ({ Dockerfile: `FROM ${base}\nCOPY a /a\n`, a: extra });

  beforeAll(async () => {
    registry = await startRegistry({ auth: true });
    [source, builder] = await Promise.all([startBuildEngine(), startEmbeddedEngine()]);
    base = `${registry.address}/${source.prefix}/base`;
    const creds = registry.auth as { username: string; password: string };
    auth = encode({ ...creds, serveraddress: registry.address });
    config = encode({ [`http://${registry.address}/v2/`]: creds, 'https://index.docker.io/v1/': {} });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([source?.stop(), builder?.stop()]);
    await registry?.stop();
  });

  let v1: string;
  it('refuses a base image it cannot pull without credentials, naming the image', async () => {
    v1 = await publish('one');
    const res = await build(builder, dockerfile('x'));
    expect(res.error).toMatch(new RegExp(`pull access denied for ${base}`));
    expect(JSON.stringify(res.messages)).not.toContain(registry.auth?.password);
    expect(await imageId(base)).toBeUndefined();
  });

  it('pulls a missing base with X-Registry-Config and builds on it', async () => {
    const res = await build(builder, dockerfile('x'), {}, false, { 'X-Registry-Config': config });
    expect(res.error).toBeUndefined();
    expect(res.id).toMatch(/^sha256:/);
    const statuses = res.messages.map((m: Line) => m.status).filter(Boolean);
    expect(statuses).toContain(`Pulling from ${source.prefix}/base`);
    expect(statuses).toContain('Pull complete');
    expect(statuses).toContain(`Status: Downloaded newer image for ${base}:latest`);
    // The pull comes after the FROM step's line and before the next step, as the classic builder writes it.
    const order = res.messages.map((m: Line) => String(m.stream ?? m.status ?? ''));
    const from = order.findIndex((t) => t.startsWith('Step 1/2 : FROM'));
    expect(from).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(`Pulling from ${source.prefix}/base`)).toBeGreaterThan(from);
    expect(order.findIndex((t) => t.startsWith('Step 2/2'))).toBeGreaterThan(order.indexOf('Pull complete'));
    expect(await imageId(base)).toBe(v1);
  });

  it('keeps the local base without pull=1, and pull=1 fetches a changed tag', async () => {
    const v2 = await publish('two');
    expect(v2).not.toBe(v1);
    const cached = await build(builder, dockerfile('y'), {}, false, { 'X-Registry-Config': config });
    expect(cached.error).toBeUndefined();
    expect(cached.messages.some((m: Line) => m.status)).toBe(false);
    expect(await imageId(base)).toBe(v1);

    const pulled = await build(builder, dockerfile('y'), { pull: '1' }, false, {
      'X-Registry-Config': config,
    });
    expect(pulled.error).toBeUndefined();
    expect(pulled.messages.map((m: Line) => m.status)).toContain(
      `Status: Downloaded newer image for ${base}:latest`,
    );
    expect(await imageId(base)).toBe(v2);
    expect(pulled.id).not.toBe(cached.id);

    const again = await build(builder, dockerfile('y'), { pull: '1' }, false, {
      'X-Registry-Config': config,
    });
    expect(again.messages.map((m: Line) => m.status)).toContain(
      `Status: Image is up to date for ${base}:latest`,
    );
    expect(again.id).toBe(pulled.id);
  });
});

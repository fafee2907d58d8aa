import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, it } from 'vitest';
import type { EngineClient } from '../../../src/client/index.js';
import type { EnginePort } from '../../../src/reconcile/engine-port.js';
import { Label } from '../../../src/reconcile/labels.js';
import { ensureTestImage } from '../../support/docker-daemon.js';
import type { EngineTarget, StartedEngine } from '../../support/engines.js';

/** What a compose e2e file gets for one engine: the started engine and its client. */
export interface EngineFixture {
  target: EngineTarget;
  engine: EngineClient;
  started?: StartedEngine;
}

/**
 * Starts `target` for the tests of the enclosing describe (once), makes sure the busybox test
 * image is on it, and stops it afterwards (the embedded engine's stop checks for leaks).
 */
export function useEngine(target: EngineTarget): EngineFixture {
  const fixture = { target } as EngineFixture;
  beforeAll(async () => {
    fixture.started = await target.start();
    fixture.engine = fixture.started.client;
    await ensureTestImage(fixture.engine);
  }, 300_000);
  afterAll(async () => {
    await fixture.started?.stop();
  });
  return fixture;
}

/** `it`, or `it.skip` with the reason when the engine is known not to pass the test yet. */
export function itOn(target: EngineTarget) {
  return (name: string, fn: () => Promise<void>, timeout?: number) => {
    const reason = COMPOSE_SKIPS[target.name]?.find((s) => s.tests.includes(name))?.reason;
    if (reason) it.skip(`${name} (skipped: ${reason})`, fn);
    else it(name, fn, timeout);
  };
}

/** Compose tests an engine cannot pass yet, with the reason; matched by test name. */
const COMPOSE_SKIPS: Record<string, Array<{ reason: string; tests: string[] }>> = {};

/**
 * A maker of unique project names for the tests of the enclosing describe; after each test,
 * whatever the projects it named left on the engine is removed (so a failed test leaks nothing).
 */
export function projectNames(fx: EngineFixture): (prefix: string) => string {
  const made: string[] = [];
  afterEach(async () => {
    for (const name of made.splice(0)) await forceCleanup(fx.engine, name);
  });
  return (prefix) => {
    const name = uniqueProjectName(prefix);
    made.push(name);
    return name;
  };
}

/** A project name no other test run uses. */
export function uniqueProjectName(prefix: string): string {
  return `berthe2e-${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` until it returns a value (not undefined/false) or `timeoutMs` passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${last}` : ''}`);
    await delay(100);
  }
}

const WRITES =
  /^(create|start|stop|restart|kill|pause|unpause|remove|rename|connect|disconnect|pull|build|push|tag|prune|putArchive)$/;

/** An engine client that counts the write calls made through it, by `area.method`. */
export function countingEngine(client: EngineClient): { engine: EnginePort; writes: string[] } {
  const writes: string[] = [];
  const wrap = <T extends object>(area: string, api: T): T =>
    new Proxy(api, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (WRITES.test(String(prop))) writes.push(`${area}.${String(prop)}`);
          return v.apply(target, args);
        };
      },
    });
  const engine = {
    system: client.system,
    exec: wrap('exec', client.exec),
    containers: wrap('containers', client.containers),
    networks: wrap('networks', client.networks),
    volumes: wrap('volumes', client.volumes),
    images: wrap('images', client.images),
  };
  return { engine, writes };
}

/** Everything on the engine that carries the project's label (should be empty after `down -v`). */
export async function projectLeftovers(engine: EnginePort, project: string): Promise<string[]> {
  const filters = { label: [`${Label.project}=${project}`] };
  const [containers, networks, volumes] = await Promise.all([
    engine.containers.list({ all: true, filters }),
    engine.networks.list({ filters }),
    engine.volumes.list({ filters }),
  ]);
  return [
    ...containers.map((c) => `container ${c.Names[0]}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...(volumes.Volumes ?? []).map((v) => `volume ${v.Name}`),
  ];
}

/** Removes whatever a failed test left: containers, networks and volumes labelled with the project. */
export async function forceCleanup(engine: EnginePort, project: string): Promise<void> {
  const filters = { label: [`${Label.project}=${project}`] };
  const ignore = () => {};
  for (const c of await engine.containers.list({ all: true, filters })) {
    await engine.containers.remove(c.Id, { force: true, v: true }).catch(ignore);
  }
  for (const n of await engine.networks.list({ filters })) await engine.networks.remove(n.Id).catch(ignore);
  for (const v of (await engine.volumes.list({ filters })).Volumes ?? []) {
    await engine.volumes.remove(v.Name, { force: true }).catch(ignore);
  }
}

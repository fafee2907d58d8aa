import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { EngineClient } from '../../../src/client/engine-client.js';
import type { ContainerCreateBody } from '../../../src/client/types/containers.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { ensureTestImage } from '../../support/docker-daemon.js';
import { availableEngines, type EngineTarget, type StartedEngine, skipped } from '../../support/engines.js';

/** What each conformance test gets: the engine, a client, and a prefix for names it creates. */
export interface EngineContext {
  target: EngineTarget;
  engine: StartedEngine;
  client: EngineClient;
  /** Unique to this run (`bt<hex>`): every container, network, volume and image name starts with it. */
  prefix: string;
  /** Image refs the test made: removed after the suite. */
  images: Set<string>;
  /** Creates a container from the test image, named `<prefix>-<name>`; removed after the suite. */
  container(name: string, body?: Partial<ContainerCreateBody>): Promise<string>;
}

/** Declares a test, or skips it on engines that list it in their `skips`. */
export type TestFn = (name: string, fn: () => Promise<void>, timeout?: number) => void;

/**
 * Runs `body` once per available engine, inside a describe block that starts the engine,
 * provides the test image, and removes everything the tests created with the run's prefix.
 */
export function forEachEngine(area: string, body: (ctx: () => EngineContext, test: TestFn) => void): void {
  const targets = availableEngines();
  if (targets.length === 0) {
    describe.skip(area, () => it('needs an engine (a Docker daemon or the embedded engine)', () => {}));
    return;
  }
  for (const target of targets) {
    describe(`${area} [${target.name}]`, () => {
      let ctx: EngineContext | undefined;
      beforeAll(async () => {
        const engine = await target.start();
        const prefix = `bt${randomBytes(4).toString('hex')}`;
        await ensureTestImage(engine.client);
        const images = new Set<string>();
        const container = async (name: string, extra: Partial<ContainerCreateBody> = {}) => {
          const body = { Image: TEST_IMAGE, Cmd: ['sleep', '300'], ...extra };
          return (await engine.client.containers.create(body, { name: `${prefix}-${name}` })).Id;
        };
        ctx = { target, engine, client: engine.client, prefix, images, container };
      });
      afterAll(async () => {
        if (!ctx) return;
        await cleanup(ctx);
        await ctx.engine.stop();
      });
      const test: TestFn = (name, fn, timeout) => {
        const reason = skipped(target, name);
        if (reason) it.skip(`${name} (skipped: ${reason})`, fn);
        else it(name, fn, timeout);
      };
      body(() => ctx!, test);
    });
  }
}

/** Removes every container, network, volume and image whose name carries the run's prefix. */
async function cleanup({ client, prefix, images }: EngineContext): Promise<void> {
  const byName = { name: [prefix] };
  for (const c of await client.containers.list({ all: true, filters: byName })) {
    await client.containers.remove(c.Id, { force: true, v: true }).catch(() => {});
  }
  for (const n of await client.networks.list({ filters: byName })) {
    await client.networks.remove(n.Id).catch(() => {});
  }
  for (const v of (await client.volumes.list({ filters: byName })).Volumes ?? []) {
    await client.volumes.remove(v.Name, { force: true }).catch(() => {});
  }
  for (const ref of images) await client.images.remove(ref, { force: true }).catch(() => {});
  for (const img of await client.images.list({ filters: { reference: [`${prefix}*`, `*/${prefix}*`] } })) {
    await client.images.remove(img.Id, { force: true }).catch(() => {});
  }
}

/** Reads a stream to the end. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Drains a progress iterator, returning its events. */
export async function drain<T>(events: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(
  p: Promise<unknown>,
): Promise<{ kind: string; message: string; context: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    return err as { kind: string; message: string; context: Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

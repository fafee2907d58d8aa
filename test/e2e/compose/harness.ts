import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { EngineClient } from '../../../src/client/index.js';
import type { EnginePort } from '../../../src/reconcile/engine-port.js';
import { Label } from '../../../src/reconcile/labels.js';
import { busyboxRootfsTar, TEST_IMAGE, TEST_IMAGE_CHANGES } from '../../support/busybox-rootfs.js';

/** An engine the e2e suite runs against. */
export interface TestEngine {
  name: string;
  host: string;
}

/** The engines available on this machine (the Docker daemon when its socket exists). */
export function composeEngines(): TestEngine[] {
  const engines: TestEngine[] = [];
  if (existsSync('/var/run/docker.sock'))
    engines.push({ name: 'docker', host: 'unix:///var/run/docker.sock' });
  return engines;
}

/** Makes sure the busybox test image exists on the Docker daemon (imported from the local rootfs). */
export function ensureDockerTestImage(): void {
  try {
    execFileSync('docker', ['image', 'inspect', TEST_IMAGE], { stdio: 'ignore' });
  } catch {
    const changes = TEST_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
    execFileSync('docker', ['import', ...changes, busyboxRootfsTar(), TEST_IMAGE], { stdio: 'ignore' });
  }
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
export function countingEngine(host: string): { engine: EnginePort & { close(): void }; writes: string[] } {
  const client = new EngineClient({ host });
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
    close: () => client.close(),
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

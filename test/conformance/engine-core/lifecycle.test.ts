import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { connectEngine } from '../../../src/engine/connect.js';
import { stopEngineDaemon } from '../../../src/engine/daemon-control.js';
import { engineLocation } from '../../../src/engine/engine-location.js';
import { busyboxRootfsTar } from '../../support/busybox-rootfs.js';
import { DOCKER_CLI } from '../../support/docker-cli.js';
import { type EmbeddedEngine, ENGINE_MAIN, startEmbeddedEngine } from '../../support/embedded-engine.js';
import { eventually } from '../../support/eventually.js';
import { assertNoLeaks } from '../../support/leak-check.js';

const DOCKER = DOCKER_CLI;
const CLI = resolve(import.meta.dirname, '../../../dist/src/cli/main.js');
const run = promisify(execFile);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs the berth CLI; resolves with its exit code and output (never throws on a non-zero exit). */
async function berth(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, BERTH_DEBUG: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function tempEngineDir() {
  const dir = mkdtempSync(join(tmpdir(), 'berth-lifecycle-'));
  const flags = ['--data-root', join(dir, 'root'), '--host', `unix://${join(dir, 'e.sock')}`];
  cleanups.push(async () => {
    await stopEngineDaemon(engineLocation({ 'data-root': join(dir, 'root') }));
    assertNoLeaks(join(dir, 'root'));
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, flags, dataRoot: join(dir, 'root'), host: `unix://${join(dir, 'e.sock')}` };
}

async function engineOf(spawn: () => Promise<EmbeddedEngine>): Promise<EmbeddedEngine> {
  const engine = await spawn();
  cleanups.push(async () => {
    engine.assertNoLeaks();
    await engine.stop();
  });
  return engine;
}

describe('berth engine start/stop/status', () => {
  it('round-trips: start, status, stop, status, and a restarted engine keeps its volumes', async () => {
    const { flags, dataRoot, dir } = tempEngineDir();
    expect(existsSync(ENGINE_MAIN)).toBe(true);
    const first = await berth(['engine', 'start', ...flags]);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/^engine started \(pid \d+\)/);
    expect((await berth(['engine', 'start', ...flags])).stdout).toMatch(/^engine already running/);
    const status = await berth(['engine', 'status', '--format', 'json', ...flags]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, dataRoot, apiVersion: '1.41' });
    // The data root is the engine's alone (0700); the socket is for root and its group (0660).
    expect(statSync(dataRoot).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'e.sock')).mode & 0o777).toBe(0o660);
    // BERTH_DATA_ROOT stands for --data-root.
    const byEnv = await berth(['engine', 'status', '--format', 'json', '--host', flags[3] as string], {
      BERTH_DATA_ROOT: dataRoot,
    });
    expect(JSON.parse(byEnv.stdout)).toMatchObject({ running: true, dataRoot });

    const client = await connectEngine({ host: flags[3] });
    await client.volumes.create({ Name: 'kept', Labels: { x: 'y' } });
    client.close();

    expect(await berth(['engine', 'stop', ...flags])).toMatchObject({ code: 0, stdout: 'engine stopped\n' });
    expect(existsSync(join(dataRoot, 'engine.pid'))).toBe(false);
    expect(existsSync(join(dir, 'e.sock'))).toBe(false);
    const down = await berth(['engine', 'status', ...flags]);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/status:\s+not running/);

    expect((await berth(['engine', 'start', ...flags])).code).toBe(0);
    const again = await connectEngine({ host: flags[3] });
    expect(await again.volumes.inspect('kept')).toMatchObject({ Name: 'kept', Labels: { x: 'y' } });
    again.close();
    const logs = await berth(['engine', 'logs', '-n', '1', ...flags]);
    expect(logs.stdout).toMatch(/engine listening/);
  });

  it('refuses a malformed --address-pool with one message, before starting anything', async () => {
    const { flags, dataRoot } = tempEngineDir();
    const r = await berth(['engine', 'start', ...flags, '--address-pool', 'base=10.1.0.0/16,size=40']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /--address-pool: size 40 must be between the base's prefix length \(16\) and 30/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dataRoot, 'engine.pid'))).toBe(false);
  });

  it('refuses a second engine on the same data root, naming the holder', async () => {
    const { flags, dataRoot } = tempEngineDir();
    expect((await berth(['engine', 'start', ...flags])).code).toBe(0);
    const otherSock = `unix://${join(dataRoot, '..', 'other.sock')}`;
    const second = await berth(['engine', 'run', '--data-root', dataRoot, '--host', otherSock]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/data root is in use by another engine \(pid \d+/);
    expect(second.stderr).not.toMatch(/\n\s+at /);
  });

  it('connectEngine starts the embedded engine when nothing answers', async () => {
    const { dataRoot, host } = tempEngineDir();
    const env = { PATH: process.env.PATH ?? '' };
    const client = await connectEngine({ env, embedded: { host, dataRoot } });
    expect((await client.system.ping()).apiVersion).toBe('1.41');
    expect(readFileSync(join(dataRoot, 'engine.log'), 'utf8')).toMatch(/engine listening/);
    client.close();
  });

  it('concurrent auto-starts end with one engine that every caller uses', async () => {
    const { dataRoot, host } = tempEngineDir();
    const env = { PATH: process.env.PATH ?? '' };
    const clients = await Promise.all(
      [1, 2, 3].map(() => connectEngine({ env, embedded: { host, dataRoot } })),
    );
    const ids = await Promise.all(clients.map(async (c) => (await c.system.info()).ID));
    expect(new Set(ids).size).toBe(1);
    for (const c of clients) c.close();
    const log = readFileSync(join(dataRoot, 'engine.log'), 'utf8');
    expect(log.match(/engine listening/g)).toHaveLength(1);
  });

  it('a configured host that is down is not auto-started', async () => {
    const env = { PATH: process.env.PATH ?? '' };
    const configured = await connectEngine({ env, host: 'unix:///nonexistent/berth.sock' });
    await expect(configured.system.ping()).rejects.toMatchObject({ kind: 'unavailable' });
    configured.close();
  });
});

describe('engine restarts', () => {
  it('keeps volumes across kill -9 and a restart (stale socket and pid file taken over)', async () => {
    const engine = await engineOf(() => startEmbeddedEngine());
    const name = `${engine.prefix}-survivor`;
    expect((await engine.client.request('POST', '/volumes/create', { Name: name })).status).toBe(201);
    const before = engine.pid;
    await engine.kill9();
    await engine.restart();
    expect(engine.pid).not.toBe(before);
    const r = await engine.client.request('GET', `/volumes/${name}`);
    expect(r).toMatchObject({ status: 200, body: { Name: name } });
    expect((await engine.client.request('DELETE', `/volumes/${name}`)).status).toBe(204);
  });

  it('a tmpfs volume mounted for a running container stays accounted for across kill -9', async () => {
    const engine = await engineOf(() => startEmbeddedEngine());
    const docker = (args: string[]) =>
      run(DOCKER, args, { env: { ...process.env, DOCKER_HOST: engine.host } }).then((r) => r.stdout.trim());
    const p = engine.prefix;
    await docker(['import', '--change', 'CMD ["sh"]', busyboxRootfsTar(), `${p}/bb:latest`]);
    await docker(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', `${p}-tmp`]);
    const id = await docker(['run', '-d', '-v', `${p}-tmp:/t`, `${p}/bb`, 'sleep', '120']);
    await engine.kill9();
    await engine.restart();
    const rm = await engine.client.request('DELETE', `/volumes/${p}-tmp`);
    expect(rm.status).toBe(409);
    await docker(['rm', '-f', id]);
    await eventually(() => engine.assertNoLeaks([id]));
    expect((await engine.client.request('DELETE', `/volumes/${p}-tmp`)).status).toBe(204);
    await docker(['rmi', `${p}/bb:latest`]);
  });

  it('shuts down gracefully on SIGTERM and comes back with the same identity', async () => {
    const engine = await engineOf(() => startEmbeddedEngine());
    const id = ((await engine.client.request('GET', '/info')).body as { ID: string }).ID;
    await engine.restart();
    expect(((await engine.client.request('GET', '/info')).body as { ID: string }).ID).toBe(id);
    expect(engine.log()).toMatch(/shutting down.*SIGTERM[\s\S]*engine stopped/);
  });
});

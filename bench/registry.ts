import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCountingProxy } from '../test/conformance/registry/counting-proxy.js';
import { busyboxRootfsTar, TEST_IMAGE_CHANGES } from '../test/support/busybox-rootfs.js';
import { startEmbeddedEngine } from '../test/support/embedded-engine.js';
import { startRegistry } from '../test/support/registry.js';

/**
 * Pulls from Debian's docker-registry on loopback: the embedded engine against the Docker daemon,
 * both driven over the same Engine API call (`POST /images/create`). Cold: the first pull of an
 * image whose layer neither engine has (downloaded and unpacked). Warm: a pull of an image whose layers are all present (zero layer bytes move; only the
 * manifest and config are checked). Prints a table; asserts nothing.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const DOCKERD_SOCKET = '/var/run/docker.sock';

function post(socketPath: string, path: string, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, method: 'POST', path, headers: body ? { 'Content-Type': 'application/x-tar' } : {} },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The busybox rootfs plus a file unique to this run: a layer neither engine has, so both cold
 * pulls download and unpack it (the Docker daemon keeps the plain rootfs layer from the tests,
 * and a pull of a layer it has moves nothing).
 */
function uniqueRootfs(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-registry-'));
  try {
    const tar = join(dir, 'rootfs.tar');
    copyFileSync(busyboxRootfsTar(), tar);
    writeFileSync(join(dir, 'bench-run'), `${process.pid} ${Date.now()}\n`);
    execFileSync('tar', ['-rf', tar, '-C', dir, '--owner=0', '--group=0', 'bench-run']);
    return readFileSync(tar);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Removes an image this benchmark made on the Docker daemon. */
function removeFromDockerd(ref: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const req = request(
      { socketPath: DOCKERD_SOCKET, method: 'DELETE', path: `/images/${ref}?force=1` },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', () => resolve());
    req.end();
  });
}

/** One `POST /images/create` with a body (an import); fails loudly on an error. Returns milliseconds. */
async function timed(socket: string, path: string, body: Buffer): Promise<number> {
  const start = process.hrtime.bigint();
  const res = await post(socket, path, body);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 200 || res.text.includes('"error"'))
    throw new Error(`import on ${socket} failed: ${res.text}`);
  return ms;
}

/** One pull; fails loudly on an in-stream error. Returns milliseconds. */
async function pull(socket: string, image: string): Promise<number> {
  const start = process.hrtime.bigint();
  const res = await post(socket, `/images/create?fromImage=${encodeURIComponent(image)}&tag=latest`);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 200 || res.text.includes('"error"'))
    throw new Error(`pull on ${socket} failed: ${res.text}`);
  return ms;
}

async function main(): Promise<void> {
  const registry = await startRegistry();
  // Both engines pull through a counting proxy: the warm pulls' blob bytes are measured, not assumed.
  const proxy = await startCountingProxy(registry.address);
  const blobBytes = () =>
    proxy.seen.filter((r) => r.path.includes('/blobs/sha256:')).reduce((n, r) => n + r.received, 0);
  const source = await startEmbeddedEngine();
  const target = await startEmbeddedEngine();
  const image = `${proxy.address}/${source.prefix}/busybox`;
  const rows: Array<[string, string, string]> = [];
  let dockerdPulled = false;
  /** Imported into the Docker daemon (a name of its own, removed at the end). */
  const imported = `berth-bench/${source.prefix}-import`;
  let dockerdImported = false;
  try {
    const changes = TEST_IMAGE_CHANGES.map((c) => `changes=${encodeURIComponent(c)}`).join('&');
    const berthImport = await timed(
      source.socketPath,
      `/images/create?fromSrc=-&repo=${image}&tag=latest&${changes}`,
      uniqueRootfs(),
    );
    let dockerdImport = Number.NaN;
    try {
      dockerdImport = await timed(
        DOCKERD_SOCKET,
        `/images/create?fromSrc=-&repo=${imported}&tag=latest`,
        uniqueRootfs(),
      );
      dockerdImported = true;
    } catch (err) {
      process.stdout.write(`(dockerd import: ${(err as Error).message.split('\n')[0]})\n`);
    }
    const pushed = await post(source.socketPath, `/images/${image}/push?tag=latest`);
    if (pushed.text.includes('"error"')) throw new Error(`push failed: ${pushed.text}`);

    const berthCold = await pull(target.socketPath, image);
    const berthWarm: number[] = [];
    proxy.reset();
    for (let i = 0; i < ROUNDS; i++) berthWarm.push(await pull(target.socketPath, image));
    const berthWarmBytes = blobBytes();
    let dockerdWarmBytes = Number.NaN;

    let dockerdCold = Number.NaN;
    const dockerdWarm: number[] = [];
    try {
      dockerdCold = await pull(DOCKERD_SOCKET, image);
      dockerdPulled = true;
      proxy.reset();
      for (let i = 0; i < ROUNDS; i++) dockerdWarm.push(await pull(DOCKERD_SOCKET, image));
      dockerdWarmBytes = blobBytes();
    } catch (err) {
      process.stdout.write(`(dockerd: ${(err as Error).message.split('\n')[0]})\n`);
    }
    const fmt = (n: number) => (Number.isNaN(n) ? 'n/a' : `${n.toFixed(1)} ms`);
    rows.push([
      'import of the busybox rootfs tar (~2 MB, `fromSrc=-`)',
      fmt(berthImport),
      fmt(dockerdImport),
    ]);
    rows.push(['cold pull (1 layer, ~1 MB)', fmt(berthCold), fmt(dockerdCold)]);
    rows.push([
      `warm pull, all layers present (median of ${ROUNDS})`,
      fmt(median(berthWarm)),
      fmt(median(dockerdWarm)),
    ]);
    const bytes = (n: number) => (Number.isNaN(n) ? 'n/a' : `${n} B`);
    rows.push([
      `blob bytes moved by those ${ROUNDS} warm pulls (counting proxy)`,
      bytes(berthWarmBytes),
      bytes(dockerdWarmBytes),
    ]);
  } finally {
    if (dockerdPulled) await removeFromDockerd(`${image}:latest`);
    if (dockerdImported) await removeFromDockerd(`${imported}:latest`);
    await Promise.all([source.stop(), target.stop()]);
    await proxy.close();
    await registry.stop();
  }
  process.stdout.write(
    '| registry pull (loopback docker-registry) | berth engine | dockerd |\n|---|---|---|\n',
  );
  for (const r of rows) process.stdout.write(`| ${r.join(' | ')} |\n`);
}

await main();

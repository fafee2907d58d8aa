import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bareRuntime, engineBundle, forkFloors, rootfsTar } from './support/runtime-floors.js';

/**
 * Containers on the embedded engine against the floor (bare `crun run` on the same bundle) and
 * the Docker daemon (`docker run --rm` on the same image): create→running, `run --rm true`→exit,
 * engine idle RSS and memory per running container. Prints a table; asserts nothing.
 */
const here = dirname(fileURLToPath(import.meta.url));
const ENGINE_MAIN = join(here, '../runtime/main.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const tag = randomBytes(3).toString('hex');
const IMAGE = `berth-bench/busybox-${tag}:latest`;

function api(
  socket: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      { socketPath: socket, method, path, headers: payload ? { 'Content-Type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const rssKb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/** CPU time (user + system) a process has used, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Starts a container on the engine, returns its directory (config.json and /etc files) and removes it. */
async function engineContainerDir(socket: string, dataRoot: string): Promise<string> {
  const id = JSON.parse(
    (await api(socket, 'POST', '/containers/create', { Image: IMAGE, Cmd: ['sleep', '30'] })).text,
  ).Id;
  await api(socket, 'POST', `/containers/${id}/start`);
  const copy = join(dataRoot, '..', 'engine-container');
  mkdirSync(copy, { recursive: true });
  for (const f of ['config.json', 'hosts', 'hostname', 'resolv.conf'])
    copyFileSync(join(dataRoot, 'containers', id, f), join(copy, f));
  const spec = readFileSync(join(copy, 'config.json'), 'utf8');
  writeFileSync(join(copy, 'config.json'), spec.replaceAll(join(dataRoot, 'containers', id), copy));
  await api(socket, 'DELETE', `/containers/${id}?force=1`);
  return copy;
}

/** create→running and `run --rm true`→exit through the Docker API on `socket`. */
async function apiTimes(
  socket: string,
  image: string,
  networkMode = 'default',
): Promise<{ createToRunning: number[]; runRm: number[] }> {
  const createToRunning: number[] = [];
  const runRm: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = process.hrtime.bigint();
    const id = JSON.parse(
      (await api(socket, 'POST', '/containers/create', { Image: image, Cmd: ['sleep', '30'] })).text,
    ).Id;
    await api(socket, 'POST', `/containers/${id}/start`);
    createToRunning.push(ms(t));
    await api(socket, 'DELETE', `/containers/${id}?force=1`);
    runRm.push(await runRmOnce(socket, image, networkMode));
  }
  return { createToRunning, runRm };
}

/** One `run --rm true` (create with AutoRemove, start, wait for removal) on `socket`, in ms. */
async function runRmOnce(socket: string, image: string, networkMode = 'default'): Promise<number> {
  const t = process.hrtime.bigint();
  const rm = JSON.parse(
    (
      await api(socket, 'POST', '/containers/create', {
        Image: image,
        Cmd: ['true'],
        HostConfig: { AutoRemove: true, NetworkMode: networkMode },
      })
    ).text,
  ).Id;
  const waited = api(socket, 'POST', `/containers/${rm}/wait?condition=removed`);
  await api(socket, 'POST', `/containers/${rm}/start`);
  await waited;
  return ms(t);
}

/**
 * dockerd's `run --rm true` over berth's, one of each per round in alternating order, as the
 * median of the per-round ratios: load from other work hits both sides of a round alike.
 */
async function interleavedRunRm(socket: string, image: string): Promise<number> {
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const first = i % 2 === 0 ? await runRmOnce(socket, image) : undefined;
    const docker = await runRmOnce('/var/run/docker.sock', image);
    const ours = first ?? (await runRmOnce(socket, image));
    ratios.push(docker / ours);
  }
  return median(ratios);
}

async function main(): Promise<void> {
  if (!existsSync(ENGINE_MAIN)) throw new Error('run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  const socket = join(dir, 'engine.sock');
  const tar = rootfsTar(dir);
  const engine = spawn(
    process.execPath,
    [
      ENGINE_MAIN,
      '--data-root',
      join(dir, 'root'),
      '--host',
      `unix://${socket}`,
      '--no-dns-forwarding',
      '--bridge-name',
      `bb${tag}`,
    ],
    { stdio: 'ignore' },
  );
  const rows: Array<[string, string]> = [];
  try {
    for (let i = 0; i < 100 && !(await api(socket, 'GET', '/_ping').catch(() => undefined)); i++)
      await new Promise((r) => setTimeout(r, 100));
    const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
    execFileSync('docker', ['import', '--change', 'CMD ["sh"]', tar, IMAGE], { env, stdio: 'ignore' });
    const floor = median(bareRuntime(dir, 'crun', ROUNDS, tag));
    const idle = rssKb(engine.pid ?? 0);
    const bundle = engineBundle(dir, tar, await engineContainerDir(socket, join(dir, 'root')), tag);
    const sameBundle = median(bareRuntime(dir, 'crun', ROUNDS, tag, bundle));
    const forks = await forkFloors(dir, bundle, ROUNDS, tag);
    const cpuBefore = cpuMs(engine.pid ?? 0);
    const ours = await apiTimes(socket, IMAGE);
    const cpuPerRound = (cpuMs(engine.pid ?? 0) - cpuBefore) / ROUNDS;
    const ratio = (x: number) =>
      `${(x / floor).toFixed(2)}x floor, ${(x / sameBundle).toFixed(2)}x same bundle`;
    rows.push(['bare crun run true (floor)', `${floor.toFixed(1)} ms`]);
    rows.push(["bare crun run true, the engine's bundle", `${sameBundle.toFixed(1)} ms`]);
    const fork = (k: string) => `${median(forks[k] ?? []).toFixed(1)} ms`;
    rows.push([
      'forks under conmon, same bundle',
      `conmon+create ${fork('create')}, start ${fork('start')}, exit seen ${fork('exit')}, delete ${fork('delete')}; all ${fork('total')}`,
    ]);
    rows.push(['berth create→running', `${median(ours.createToRunning).toFixed(1)} ms`]);
    rows.push([
      'berth run --rm true→exit',
      `${median(ours.runRm).toFixed(1)} ms (${ratio(median(ours.runRm))})`,
    ]);
    rows.push(['engine CPU per round (create→running + run --rm)', `${cpuPerRound.toFixed(1)} ms`]);
    // Without a bridge endpoint: what the network costs on the run --rm path.
    const isolated = median((await apiTimes(socket, IMAGE, 'none')).runRm);
    rows.push(['berth run --rm --network none', `${isolated.toFixed(1)} ms (${ratio(isolated)})`]);
    if (existsSync('/var/run/docker.sock')) {
      execFileSync('docker', ['import', '--change', 'CMD ["sh"]', tar, IMAGE], {
        stdio: 'ignore',
        env: { ...process.env, DOCKER_HOST: 'unix:///var/run/docker.sock' },
      });
      try {
        const docker = await apiTimes('/var/run/docker.sock', IMAGE);
        rows.push(['dockerd create→running', `${median(docker.createToRunning).toFixed(1)} ms`]);
        rows.push([
          'dockerd run --rm true→exit',
          `${median(docker.runRm).toFixed(1)} ms (${(median(docker.runRm) / median(ours.runRm)).toFixed(2)}x berth)`,
        ]);
        rows.push([
          'dockerd / berth run --rm true, interleaved rounds (median ratio; target ≥ 3)',
          `${(await interleavedRunRm(socket, IMAGE)).toFixed(2)}x`,
        ]);
      } finally {
        execFileSync('docker', ['rmi', '-f', IMAGE], {
          stdio: 'ignore',
          env: { ...process.env, DOCKER_HOST: 'unix:///var/run/docker.sock' },
        });
      }
    }
    rows.push(['engine idle RSS', `${(idle / 1024).toFixed(1)} MB`]);
    const before = rssKb(engine.pid ?? 0);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = JSON.parse(
        (await api(socket, 'POST', '/containers/create', { Image: IMAGE, Cmd: ['sleep', '300'] })).text,
      ).Id;
      await api(socket, 'POST', `/containers/${id}/start`);
      ids.push(id);
    }
    const conmons = execFileSync('pgrep', ['-f', `conmon .*${join(dir, 'root')}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
    const conmonKb = conmons.reduce((sum, pid) => sum + rssKb(pid), 0) / Math.max(1, conmons.length);
    const growthKb = (rssKb(engine.pid ?? 0) - before) / ids.length;
    rows.push([
      'per running container',
      `${((conmonKb + Math.max(0, growthKb)) / 1024).toFixed(2)} MB (conmon ${(conmonKb / 1024).toFixed(2)} MB + engine ${(growthKb / 1024).toFixed(2)} MB)`,
    ]);
    for (const id of ids) await api(socket, 'DELETE', `/containers/${id}?force=1`);
  } finally {
    engine.kill('SIGTERM');
    await new Promise((r) => engine.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`rounds: ${ROUNDS} (median)\n`);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});

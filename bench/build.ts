import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { busyboxRootfsTar, TEST_IMAGE_CHANGES } from '../test/support/busybox-rootfs.js';

/**
 * Dockerfile builds: a cold build (`--no-cache`) and a fully cached rebuild of the same 10-step
 * Dockerfile, end to end through `DOCKER_BUILDKIT=0 docker build`, on the embedded engine and
 * on the Docker daemon's classic builder. Medians of BENCH_ROUNDS (default 5). Asserts nothing.
 */
const here = dirname(fileURLToPath(import.meta.url));
const ENGINE_MAIN = join(here, '../runtime/main.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DOCKER = existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker';
const DOCKERD = 'unix:///var/run/docker.sock';
const tag = randomBytes(3).toString('hex');
const BASE = `berth-bench/build-base-${tag}:latest`;
const run = promisify(execFile);

const DOCKERFILE = `FROM ${BASE}
ENV APP=/app MODE=bench
WORKDIR /app
COPY a.txt ./
RUN echo one > one.txt
COPY b.txt ./
RUN cat a.txt b.txt one.txt > all.txt
LABEL bench=build
EXPOSE 8080
CMD ["cat", "/app/all.txt"]
`;

/** CPU time (user + system) a process has used, in ms (clock ticks of 10 ms); NaN when unreadable. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * Median wall times (ms) of cold and cached builds on the engine at `host`, and the engine
 * process's CPU time per cached rebuild (steadier than wall time on a shared machine).
 */
async function measure(
  host: string,
  context: string,
  pid: number | undefined,
): Promise<{ cold: number; cached: number; cachedCpu: number }> {
  const env = { ...process.env, DOCKER_HOST: host, DOCKER_BUILDKIT: '0' };
  const docker = (args: string[]) => run(DOCKER, args, { env, cwd: context });
  const changes = TEST_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
  await docker(['import', ...changes, busyboxRootfsTar(), BASE]);
  const images: string[] = [];
  try {
    const cold: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const image = `berth-bench/build-${tag}:cold${i}`;
      const start = performance.now();
      await docker(['build', '-q', '--no-cache', '-t', image, '.']);
      cold.push(performance.now() - start);
      images.push(image);
    }
    const cached: number[] = [];
    const cpuBefore = cpuMs(pid);
    for (let i = 0; i < ROUNDS; i++) {
      const start = performance.now();
      const { stdout } = await docker(['build', '-t', `berth-bench/build-${tag}:cached`, '.']);
      cached.push(performance.now() - start);
      if (stdout.split('\n').filter((l) => l === ' ---> Using cache').length !== 9) {
        throw new Error(`the rebuild on ${host} did not take every step from the cache:\n${stdout}`);
      }
    }
    const cachedCpu = (cpuMs(pid) - cpuBefore) / ROUNDS;
    images.push(`berth-bench/build-${tag}:cached`);
    return { cold: median(cold), cached: median(cached), cachedCpu };
  } finally {
    await docker(['rmi', '-f', ...images, BASE]).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  if (!existsSync(ENGINE_MAIN)) throw new Error('run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-build-'));
  const context = join(dir, 'context');
  const socket = join(dir, 'engine.sock');
  await run('mkdir', ['-p', context]);
  writeFileSync(join(context, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(context, 'a.txt'), 'a\n');
  writeFileSync(join(context, 'b.txt'), 'b\n');
  const args = ['--data-root', join(dir, 'root'), '--host', `unix://${socket}`, '--no-dns-forwarding'];
  const engine = spawn(process.execPath, [ENGINE_MAIN, ...args, '--bridge-name', `bb${tag}`], {
    stdio: 'ignore',
  });
  const rows: Array<[string, string]> = [];
  try {
    for (let i = 0; i < 100 && !(await ping(socket)); i++) await new Promise((r) => setTimeout(r, 100));
    const ours = await measure(`unix://${socket}`, context, engine.pid);
    rows.push(['berth cold build (10 steps, 2 RUN)', `${ours.cold.toFixed(0)} ms`]);
    rows.push(['berth fully cached rebuild', `${ours.cached.toFixed(0)} ms (target < 500 ms)`]);
    rows.push(['berth engine CPU per cached rebuild', `${ours.cachedCpu.toFixed(0)} ms`]);
    if (existsSync('/var/run/docker.sock')) {
      const dockerdPid = Number(readFileSync('/var/run/docker.pid', 'utf8').trim()) || undefined;
      const docker = await measure(DOCKERD, context, dockerdPid);
      rows.push([
        'dockerd classic cold build',
        `${docker.cold.toFixed(0)} ms (${(docker.cold / ours.cold).toFixed(2)}x berth)`,
      ]);
      rows.push([
        'dockerd classic cached rebuild',
        `${docker.cached.toFixed(0)} ms (${(docker.cached / ours.cached).toFixed(2)}x berth)`,
      ]);
      rows.push(['dockerd CPU per cached rebuild', `${docker.cachedCpu.toFixed(0)} ms`]);
    }
  } finally {
    engine.kill('SIGTERM');
    await new Promise((r) => engine.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write('| build | median |\n|---|---|\n');
  for (const [k, v] of rows) process.stdout.write(`| ${k} | ${v} |\n`);
}

await main();

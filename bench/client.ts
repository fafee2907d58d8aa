import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { EngineClient } from '../src/client/index.js';
import { TEST_IMAGE } from '../test/support/busybox-rootfs.js';
import { ensureTestImage } from '../test/support/docker-daemon.js';

/**
 * The Engine API client's per-call overhead: `containers.inspect` through berth's client against
 * a bare node:http keep-alive loop on the same socket (the floor) and against the `docker` CLI
 * (`docker inspect`, one process per call). Sequential and parallel runs, best of 5 rounds for
 * the HTTP clients and of 3 for the CLI (a round of it takes half a minute). Targets BENCH_HOST,
 * else the local Docker daemon. BENCH_CALLS (default 1000) and BENCH_CLI_CALLS (default: the
 * same) size the runs; BENCH_SKIP_CLI=1 leaves the CLI out.
 */
const host = process.env.BENCH_HOST ?? 'unix:///var/run/docker.sock';
const calls = Number(process.env.BENCH_CALLS ?? 1000);
const cliCalls = Number(process.env.BENCH_CLI_CALLS ?? calls);
const socketPath = host.replace(/^unix:\/\//, '');
const run = promisify(execFile);

type Call = () => Promise<unknown>;

/** Wall time and this process's CPU time (user + system) of `n` calls, in ms. */
async function timeRun(call: Call, n: number, parallel: number): Promise<{ wall: number; cpu: number }> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await call();
    }
  };
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await Promise.all(Array.from({ length: parallel }, worker));
  const cpu = process.cpuUsage(cpuStart);
  return { wall: Number(process.hrtime.bigint() - start) / 1e6, cpu: (cpu.user + cpu.system) / 1000 };
}

interface Figures {
  wall: number;
  cpu: number;
}

/** Best of `rounds` rounds per client, in ms per call; rounds alternate between clients so load spikes hit all. */
async function perCall(clients: Call[], n: number, parallel: number, rounds = 5): Promise<Figures[]> {
  for (const call of clients) await timeRun(call, Math.min(100, n), Math.min(parallel, 100));
  const best = clients.map(() => ({ wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, call] of clients.entries()) {
      const { wall, cpu } = await timeRun(call, n, parallel);
      best[i] = { wall: Math.min(best[i]!.wall, wall), cpu: Math.min(best[i]!.cpu, cpu) };
    }
  }
  return best.map(({ wall, cpu }) => ({ wall: wall / n, cpu: cpu / n }));
}

function bareInspect(agent: http.Agent, path: string): Call {
  return () =>
    new Promise((resolve, reject) => {
      const req = http.request({ socketPath, path, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}

async function main(): Promise<void> {
  const client = new EngineClient({ host });
  const version = await client.apiVersion();
  await ensureTestImage(client);
  const { Id } = await client.containers.create(
    { Image: TEST_IMAGE, Cmd: ['true'] },
    { name: `berth-bench-${process.pid}` },
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  try {
    const rows: Array<[string, Figures, Figures]> = [];
    const bare = bareInspect(agent, `/v${version}/containers/${Id}/json`);
    const berth: Call = () => client.containers.inspect(Id);
    const [bareSeq, berthSeq] = await perCall([bare, berth], calls, 1);
    const [barePar, berthPar] = await perCall([bare, berth], calls, calls);
    rows.push(['bare node:http', bareSeq!, barePar!], ['berth EngineClient', berthSeq!, berthPar!]);
    if (socketPath.startsWith('/') && process.env.BENCH_SKIP_CLI !== '1') {
      const env = { ...process.env, DOCKER_HOST: host };
      const cli: Call = () => run('docker', ['inspect', Id], { env });
      const [[seq], [par]] = [await perCall([cli], cliCalls, 1, 3), await perCall([cli], cliCalls, 8, 3)];
      rows.push([`docker CLI (${cliCalls} calls)`, seq!, par!]);
    }
    const [, floorSeq, floorPar] = rows[0]!;
    const ms = (v: number) => v.toFixed(3);
    process.stdout.write(
      `${calls} inspect calls on ${host} (API ${version}), ms per call, best of 5 rounds (CLI: 3)\n\n`,
    );
    process.stdout.write(
      '| client | sequential | parallel | over bare: seq / par | client CPU: seq / par | CPU over bare: seq / par |\n',
    );
    process.stdout.write('|---|---|---|---|---|---|\n');
    for (const [name, seq, par] of rows) {
      const over = `${ms(seq.wall - floorSeq.wall)} / ${ms(par.wall - floorPar.wall)}`;
      const cpu = `${ms(seq.cpu)} / ${ms(par.cpu)}`;
      const cpuOver = `${ms(seq.cpu - floorSeq.cpu)} / ${ms(par.cpu - floorPar.cpu)}`;
      process.stdout.write(
        `| ${name} | ${ms(seq.wall)} | ${ms(par.wall)} | ${over} | ${cpu} | ${cpuOver} |\n`,
      );
    }
    const [, berthSeqRow, berthParRow] = rows[1]!;
    const worst = Math.max(
      berthSeqRow.wall - floorSeq.wall,
      berthParRow.wall - floorPar.wall,
      berthSeqRow.cpu - floorSeq.cpu,
      berthParRow.cpu - floorPar.cpu,
    );
    process.stdout.write(
      `\nberth's overhead over the bare loop: at most ${ms(worst)} ms per call (wall or CPU, seq or par); target < 0.2 ms: ${worst < 0.2 ? 'met' : 'NOT met'}\n`,
    );
    process.stdout.write(
      '\nparallel: all calls in flight at once for the HTTP clients, 8 at a time for the CLI. Client CPU is\n' +
        "this process's user+system time per call (the CLI's own processes are not counted): the overhead\n" +
        'figure least disturbed by other load on the machine.\n',
    );
  } finally {
    agent.destroy();
    await client.containers.remove(Id, { force: true });
    client.close();
  }
}

await main();

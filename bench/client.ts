import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { EngineClient } from '../src/client/index.js';

/**
 * The Engine API client's per-call overhead: `containers.inspect` through berth's client against
 * a bare node:http keep-alive loop on the same socket (the floor) and against the `docker` CLI.
 * Sequential and parallel runs; the best of three rounds is reported. Targets BENCH_HOST, else
 * the local Docker daemon. BENCH_CALLS (default 1000) and BENCH_CLI_CALLS (default 200: each
 * CLI call is a process) size the runs.
 */
const host = process.env.BENCH_HOST ?? 'unix:///var/run/docker.sock';
const calls = Number(process.env.BENCH_CALLS ?? 1000);
const cliCalls = Number(process.env.BENCH_CLI_CALLS ?? 200);
const socketPath = host.replace(/^unix:\/\//, '');
const run = promisify(execFile);

type Call = () => Promise<unknown>;

async function timeRun(call: Call, n: number, parallel: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await call();
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: parallel }, worker));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Best of five rounds per client, in ms per call; rounds alternate between clients so load spikes hit all. */
async function perCall(clients: Call[], n: number, parallel: number): Promise<number[]> {
  for (const call of clients) await timeRun(call, Math.min(100, n), Math.min(parallel, 100));
  const best = clients.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < 5; round++) {
    for (const [i, call] of clients.entries()) best[i] = Math.min(best[i]!, await timeRun(call, n, parallel));
  }
  return best.map((ms) => ms / n);
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
  const images = await client.images.list();
  const image = images.find((i) => i.RepoTags?.length)?.RepoTags?.[0];
  if (!image) throw new Error(`no tagged image on ${host} to create a container from`);
  const { Id } = await client.containers.create(
    { Image: image, Cmd: ['true'] },
    { name: `berth-bench-${process.pid}` },
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  try {
    const rows: Array<[string, number, number]> = [];
    const bare = bareInspect(agent, `/v${version}/containers/${Id}/json`);
    const berth: Call = () => client.containers.inspect(Id);
    const [bareSeq, berthSeq] = await perCall([bare, berth], calls, 1);
    const [barePar, berthPar] = await perCall([bare, berth], calls, calls);
    rows.push(['bare node:http', bareSeq!, barePar!], ['berth EngineClient', berthSeq!, berthPar!]);
    if (socketPath.startsWith('/') && process.env.BENCH_SKIP_CLI !== '1') {
      const env = { ...process.env, DOCKER_HOST: host };
      const cli: Call = () => run('docker', ['inspect', Id], { env });
      const [[seq], [par]] = [await perCall([cli], cliCalls, 1), await perCall([cli], cliCalls, 8)];
      rows.push([`docker CLI (${cliCalls} calls)`, seq!, par!]);
    }
    const floor = rows[0]!;
    process.stdout.write(`${calls} inspect calls on ${host} (API ${version}), ms per call, best of 5\n\n`);
    process.stdout.write(
      '| client | sequential | parallel | overhead vs bare (seq / par) |\n|---|---|---|---|\n',
    );
    for (const [name, seq, par] of rows) {
      const over = `${(seq - floor[1]).toFixed(3)} / ${(par - floor[2]).toFixed(3)}`;
      process.stdout.write(`| ${name} | ${seq.toFixed(3)} | ${par.toFixed(3)} | ${over} |\n`);
    }
    process.stdout.write(
      '\n(parallel: all calls in flight at once for the HTTP clients, 8 at a time for the CLI)\n',
    );
  } finally {
    agent.destroy();
    await client.containers.remove(Id, { force: true });
    client.close();
  }
}

await main();

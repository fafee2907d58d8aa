import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EngineClient } from '../src/client/engine-client.js';
import { TEST_IMAGE } from '../test/support/busybox-rootfs.js';
import { ensureTestImage } from '../test/support/docker-daemon.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../test/support/embedded-engine.js';

/**
 * `berth up`/`down` against docker-compose 1.29 on the same stacks (1, 5 and 20 services of the
 * busybox test image, each a `sleep` under `init` so that it honours SIGTERM): berth on its
 * embedded engine (started here with a temporary data root, like the tests do), berth on the
 * Docker daemon, docker-compose on the Docker daemon. Figures: cold `up -d`, no-op `up -d`, a
 * one-service change (`up -d` after one variable changed), `down`; each the median of
 * BENCH_ROUNDS (default 3) wall-clock runs of the CLI, process start included. BENCH_SIZES
 * overrides the sizes (`1,5,20`); BENCH_EMBEDDED=0 leaves the embedded engine out.
 */
const dockerHost = process.env.BENCH_HOST ?? 'unix:///var/run/docker.sock';
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sizes = (process.env.BENCH_SIZES ?? '1,5,20').split(',').map(Number);
const berthMain = resolve(import.meta.dirname, '../src/cli/main.js');

/** A CLI on an engine: one column of the table. */
interface Tool {
  name: string;
  host: string;
  argv: (dir: string, project: string, verb: string[]) => [string, string[]];
}

function berthOn(name: string, host: string): Tool {
  return {
    name,
    host,
    argv: (dir, p, verb) => [
      process.execPath,
      [berthMain, ...verb, '-f', join(dir, 'compose.yaml'), '-p', p, '--progress', 'quiet'],
    ],
  };
}

const composeOnDocker: Tool = {
  name: 'docker-compose 1.29 + dockerd',
  host: dockerHost,
  argv: (dir, p, verb) => ['docker-compose', ['-f', join(dir, 'compose.yaml'), '-p', p, ...verb]],
};

function stack(services: number, variable: string): string {
  const lines = ['services:'];
  for (let i = 1; i <= services; i++) {
    lines.push(
      `  s${i}:`,
      `    image: ${TEST_IMAGE}`,
      '    command: ["sleep", "3600"]',
      '    init: true',
      `    environment: { ROUND: "${i === 1 ? variable : 'fixed'}" }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function envOf(tool: Tool): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: tool.host, BERTH_HOST: '', NO_COLOR: '1' };
}

function timed(tool: Tool, dir: string, project: string, verb: string[]): number {
  const [cmd, args] = tool.argv(dir, project, verb);
  const env = envOf(tool);
  const start = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`${tool.name} ${verb.join(' ')} failed: ${res.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The four figures for one tool and one stack size, in ms. */
function measure(tool: Tool, services: number): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-compose-'));
  const project = `berthbench${tool.name.startsWith('berth') ? 'b' : 'c'}${services}`;
  const env = envOf(tool);
  const samples: Record<string, number[]> = { cold: [], noop: [], change: [], down: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      writeFileSync(join(dir, 'compose.yaml'), stack(services, 'a'));
      samples.cold.push(timed(tool, dir, project, ['up', '-d']));
      samples.noop.push(timed(tool, dir, project, ['up', '-d']));
      writeFileSync(join(dir, 'compose.yaml'), stack(services, 'b'));
      samples.change.push(timed(tool, dir, project, ['up', '-d']));
      samples.down.push(timed(tool, dir, project, ['down']));
    }
  } finally {
    spawnSync(...tool.argv(dir, project, ['down', '-v']), { env, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

/** The test image on an engine (imported from the busybox rootfs when missing). */
async function ensureImage(host: string): Promise<void> {
  const client = new EngineClient({ host });
  try {
    await ensureTestImage(client);
  } finally {
    client.close();
  }
}

let embedded: EmbeddedEngine | undefined;
try {
  const tools: Tool[] = [];
  if (process.env.BENCH_EMBEDDED !== '0') {
    embedded = await startEmbeddedEngine();
    tools.push(berthOn('berth + embedded', embedded.host));
  }
  tools.push(berthOn('berth + dockerd', dockerHost), composeOnDocker);
  for (const host of new Set(tools.map((t) => t.host))) await ensureImage(host);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  process.stdout.write(
    `Docker daemon at ${dockerHost}; image ${TEST_IMAGE}; median of ${rounds} runs; wall clock of the whole CLI.\n\n`,
  );
  process.stdout.write(
    '| services | tool + engine | cold up -d | no-op up -d | one-service change | down |\n',
  );
  process.stdout.write('|---:|---|---:|---:|---:|---:|\n');
  for (const n of sizes) {
    for (const tool of tools) {
      const m = measure(tool, n);
      process.stdout.write(
        `| ${n} | ${tool.name} | ${s(m.cold)} | ${s(m.noop)} | ${s(m.change)} | ${s(m.down)} |\n`,
      );
    }
  }
} finally {
  await embedded?.stop();
}

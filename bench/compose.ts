import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { busyboxRootfsTar, TEST_IMAGE, TEST_IMAGE_CHANGES } from '../test/support/busybox-rootfs.js';

/**
 * `berth up`/`down` against docker-compose 1.29 on the same stacks (1, 5 and 20 services of the
 * busybox test image, each a `sleep` under `init` so that it honours SIGTERM), on the Docker
 * daemon here: cold `up -d`, no-op `up -d`, a one-service change (`up -d` after one variable
 * changed), `down`. Each figure is the median of BENCH_ROUNDS (default 3) wall-clock runs of
 * the CLI, process start included. BENCH_SIZES overrides the sizes (`1,5,20`).
 */
const host = process.env.BENCH_HOST ?? 'unix:///var/run/docker.sock';
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sizes = (process.env.BENCH_SIZES ?? '1,5,20').split(',').map(Number);
const berthMain = resolve(import.meta.dirname, '../src/cli/main.js');
const env = { ...process.env, DOCKER_HOST: host, NO_COLOR: '1' };

interface Tool {
  name: string;
  argv: (dir: string, project: string, verb: string[]) => [string, string[]];
}

const TOOLS: Tool[] = [
  {
    name: 'berth',
    argv: (dir, p, verb) => [
      process.execPath,
      [berthMain, ...verb, '-f', join(dir, 'compose.yaml'), '-p', p, '--progress', 'quiet'],
    ],
  },
  {
    name: 'docker-compose 1.29',
    argv: (dir, p, verb) => ['docker-compose', ['-f', join(dir, 'compose.yaml'), '-p', p, ...verb]],
  },
];

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

function timed(tool: Tool, dir: string, project: string, verb: string[]): number {
  const [cmd, args] = tool.argv(dir, project, verb);
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

function ensureImage(): void {
  const docker = ['-H', host];
  if (spawnSync('docker', [...docker, 'image', 'inspect', TEST_IMAGE], { stdio: 'ignore' }).status === 0)
    return;
  const changes = TEST_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
  execFileSync('docker', [...docker, 'import', ...changes, busyboxRootfsTar(), TEST_IMAGE], {
    stdio: 'ignore',
  });
}

ensureImage();
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
process.stdout.write(`Docker daemon at ${host}; median of ${rounds} runs; wall clock of the whole CLI.\n\n`);
process.stdout.write('| services | tool | cold up -d | no-op up -d | one-service change | down |\n');
process.stdout.write('|---:|---|---:|---:|---:|---:|\n');
for (const n of sizes) {
  for (const tool of TOOLS) {
    const m = measure(tool, n);
    process.stdout.write(
      `| ${n} | ${tool.name} | ${s(m.cold)} | ${s(m.noop)} | ${s(m.change)} | ${s(m.down)} |\n`,
    );
  }
}

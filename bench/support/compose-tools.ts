import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EngineClient } from '../../src/client/engine-client.js';
import { TEST_IMAGE } from '../../test/support/busybox-rootfs.js';
import { ensureTestImage } from '../../test/support/docker-daemon.js';

/** One step of the compose benchmarks, in the order they run on one stack. */
export interface Phase {
  name: 'cold' | 'noop' | 'change' | 'down';
  label: string;
  /** The value of `s1`'s variable in the stack file for this phase. */
  variable: string;
  /** The Compose command line. */
  verb: string[];
}

/** Cold `up -d`, no-op `up -d`, one-service change (`s1`'s variable changed), `down`. */
export const PHASES: Phase[] = [
  { name: 'cold', label: 'cold up -d', variable: 'a', verb: ['up', '-d'] },
  { name: 'noop', label: 'no-op up -d', variable: 'a', verb: ['up', '-d'] },
  { name: 'change', label: 'one-service change', variable: 'b', verb: ['up', '-d'] },
  { name: 'down', label: 'down', variable: 'b', verb: ['down'] },
];

/** A Compose CLI (or the floor) on an engine: one row of the compose benchmarks' tables. */
export interface ComposeTool {
  name: string;
  /** `unix://…` of the engine the tool talks to. */
  host: string;
  /** The command line of `phase` on the stack of `services` in `dir` as project `project`. */
  argv: (dir: string, project: string, phase: Phase, services: number) => [string, string[]];
  /** The command line that removes whatever the tool made (after a failure too). */
  cleanup: (dir: string, project: string) => [string, string[]];
}

const berthMain = resolve(import.meta.dirname, '../../src/cli/main.js');
const floorMain = resolve(import.meta.dirname, 'floor-compose.js');

/** A Compose-style CLI: its command line for a verb. */
type Cli = (dir: string, project: string, verb: string[]) => [string, string[]];

function cliTool(name: string, host: string, cli: Cli): ComposeTool {
  return {
    name,
    host,
    argv: (dir, p, phase) => cli(dir, p, phase.verb),
    cleanup: (dir, p) => cli(dir, p, ['down', '-v']),
  };
}

/** berth's CLI (the built one in dist/) on the engine at `host`. */
export function berthOn(name: string, host: string): ComposeTool {
  return cliTool(name, host, (dir, p, verb) => [
    process.execPath,
    [berthMain, ...verb, '-f', join(dir, 'compose.yaml'), '-p', p, '--progress', 'quiet'],
  ]);
}

/** Debian's docker-compose 1.29 on the engine at `host`. */
export function composeOn(name: string, host: string): ComposeTool {
  return cliTool(name, host, (dir, p, verb) => [
    'docker-compose',
    ['-f', join(dir, 'compose.yaml'), '-p', p, ...verb],
  ]);
}

/**
 * The floor on the engine at `host`: the same engine calls sent by a bare `node:http` loop with
 * maximum parallelism (support/floor-compose.ts). What it leaves after a failure is removed by
 * berth, which finds it by its Compose labels.
 */
export function floorOn(name: string, host: string): ComposeTool {
  const socket = host.replace(/^unix:\/\//, '');
  return {
    name,
    host,
    argv: (_dir, p, phase, services) => [
      process.execPath,
      [floorMain, socket, p, String(services), phase.variable, phase.name],
    ],
    cleanup: (_dir, p) => [process.execPath, [berthMain, 'down', '-v', '-p', p, '--progress', 'quiet']],
  };
}

/**
 * The benchmark stack: `services` copies of the busybox test image, each a `sleep` under
 * `init` (tini forwards SIGTERM to `sleep`, which dies of it: the services honour SIGTERM, as
 * the issue's `down` target asks; a bare `sh` or `sleep` as PID 1 would ignore it and every stop
 * would wait out its timeout). The first service's variable is `variable`, so changing it
 * changes exactly one service.
 */
export function benchStack(services: number, variable: string): string {
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

/** The environment a tool runs in: its engine, no colours, no embedded-engine default. */
export function toolEnv(tool: ComposeTool): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: tool.host, BERTH_HOST: '', NO_COLOR: '1' };
}

/** What one CLI run cost: wall time and the CPU time of the CLI process and its children, in ms. */
export interface RunCost {
  wall: number;
  cpu: number;
}

/**
 * Runs a command line of `tool` and measures it; throws with the tool's stderr when it fails. The
 * child runs asynchronously, so a proxy in this process (support/trace-proxy.ts) keeps serving it.
 */
export async function runTool(tool: ComposeTool, [cmd, args]: [string, string[]]): Promise<RunCost> {
  const cpuBefore = childCpu();
  const start = process.hrtime.bigint();
  const child = spawn(cmd, args, { env: toolEnv(tool), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (code !== 0) throw new Error(`${tool.name}: ${args.join(' ')} failed (${code}): ${stderr}`);
  return { wall, cpu: childCpu() - cpuBefore };
}

/** User + system CPU of this process's waited-for children so far, in ms (from /proc). */
function childCpu(): number {
  // Fields 16 and 17 of /proc/self/stat: cutime and cstime, in clock ticks (100 per second).
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** The median of `xs`. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The test image on the engine at `host` (imported from the busybox rootfs when missing). */
export async function ensureBenchImage(host: string): Promise<void> {
  const client = new EngineClient({ host });
  try {
    await ensureTestImage(client);
  } finally {
    client.close();
  }
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_IMAGE } from '../test/support/busybox-rootfs.js';
import { type EmbeddedEngine, startEmbeddedEngine } from '../test/support/embedded-engine.js';
import {
  benchStack,
  berthOn,
  type ComposeTool,
  composeOn,
  ensureBenchImage,
  floorOn,
  median,
  PHASES,
  type RunCost,
  runTool,
} from './support/compose-tools.js';

/**
 * `berth up`/`down` against docker-compose 1.29 and the floor on the same stacks (1, 5 and 20
 * services of the busybox test image, each a `sleep` under `init`, so each honours SIGTERM):
 * berth and the floor on the embedded engine (started here with a temporary data root, like the
 * tests do), berth, docker-compose and the floor on the Docker daemon. The floor sends the same
 * engine calls from a bare `node:http` loop with maximum parallelism (support/floor-compose.ts),
 * so "berth ≈ floor" means the engine, not berth, bounds the figure. Phases: cold `up -d`, no-op
 * `up -d`, a one-service change (`up -d` after one variable changed), `down`; each the median of
 * BENCH_ROUNDS (default 3) runs, process start included: wall clock, and the CPU time of the
 * tool's own process (steadier than wall time on a loaded machine). BENCH_SIZES overrides the
 * sizes (`1,5,20`); BENCH_EMBEDDED=0 leaves the embedded engine out.
 */
const dockerHost = process.env.BENCH_HOST ?? 'unix:///var/run/docker.sock';
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sizes = (process.env.BENCH_SIZES ?? '1,5,20').split(',').map(Number);

/** The median wall and CPU time of each phase for one tool and one stack size, in ms. */
async function measure(tool: ComposeTool, services: number, tag: string): Promise<Record<string, RunCost>> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-compose-'));
  const project = `berthbench${tag}${services}`;
  const samples = new Map<string, RunCost[]>(PHASES.map((p) => [p.name, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const phase of PHASES) {
        writeFileSync(join(dir, 'compose.yaml'), benchStack(services, phase.variable));
        samples.get(phase.name)?.push(await runTool(tool, tool.argv(dir, project, phase, services)));
      }
    }
  } finally {
    await runTool(tool, tool.cleanup(dir, project)).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  return Object.fromEntries(
    [...samples].map(([k, v]) => [
      k,
      { wall: median(v.map((x) => x.wall)), cpu: median(v.map((x) => x.cpu)) },
    ]),
  );
}

let embedded: EmbeddedEngine | undefined;
try {
  const tools: Array<[ComposeTool, string]> = [];
  if (process.env.BENCH_EMBEDDED !== '0') {
    embedded = await startEmbeddedEngine();
    tools.push([berthOn('berth + embedded', embedded.host), 'be']);
    tools.push([floorOn('floor (bare node:http) + embedded', embedded.host), 'fe']);
  }
  tools.push([berthOn('berth + dockerd', dockerHost), 'bd']);
  tools.push([composeOn('docker-compose 1.29 + dockerd', dockerHost), 'cd']);
  tools.push([floorOn('floor (bare node:http) + dockerd', dockerHost), 'fd']);
  for (const host of new Set(tools.map(([t]) => t.host))) await ensureBenchImage(host);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  process.stdout.write(
    `Docker daemon at ${dockerHost}; image ${TEST_IMAGE}; median of ${rounds} runs; wall clock of the whole ` +
      'process (CPU time of the tool process in parentheses).\n\n',
  );
  process.stdout.write(`| services | tool + engine | ${PHASES.map((p) => p.label).join(' | ')} |\n`);
  process.stdout.write(`|---:|---|${PHASES.map(() => '---:').join('|')}|\n`);
  for (const n of sizes) {
    for (const [tool, tag] of tools) {
      const m = await measure(tool, n, tag);
      const cells = PHASES.map((p) => `${s(m[p.name].wall)} (${s(m[p.name].cpu)})`);
      process.stdout.write(`| ${n} | ${tool.name} | ${cells.join(' | ')} |\n`);
    }
  }
} finally {
  await embedded?.stop();
}

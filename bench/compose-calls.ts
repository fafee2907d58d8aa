import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedEngine, startEmbeddedEngine } from '../test/support/embedded-engine.js';
import {
  benchStack,
  berthOn,
  type ComposeTool,
  composeOn,
  ensureBenchImage,
  floorOn,
  PHASES,
  runTool,
} from './support/compose-tools.js';
import { startTraceProxy, type TracedCall, type TraceProxy } from './support/trace-proxy.js';

/**
 * Where the time of `up -d` and `down` goes, call by call: berth and docker-compose 1.29 run
 * the compose benchmark's stack (BENCH_SIZES services, default 20) through a logging proxy in
 * front of the engine, and for each phase (cold `up -d`, no-op `up -d`, one-service change,
 * `down`) the table shows the Engine API calls each tool sent, grouped by kind: how many, when
 * the first started and the last ended (ms after the CLI was spawned), and each call's median
 * and longest latency. BENCH_TOOLS picks the rows (default `embedded,dockerd,compose,floor`: berth
 * on the embedded engine, berth, docker-compose and the bare floor on the Docker daemon;
 * BENCH_EMBEDDED=0 also leaves the embedded engine out); BENCH_TRACE_ALL=1 prints every call.
 */
const dockerSocket = (process.env.BENCH_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
const sizes = (process.env.BENCH_SIZES ?? '20').split(',').map(Number);
const tools = (process.env.BENCH_TOOLS ?? 'embedded,dockerd,compose,floor').split(',');
const wanted = (tool: string) =>
  tools.includes(tool) && !(tool === 'embedded' && process.env.BENCH_EMBEDDED === '0');

/** `/containers/3f2a…/start` → `/containers/{id}/start`, so calls group by kind. */
function kindOf(call: TracedCall): string {
  const path = call.path
    .replace(/^\/(containers|networks|volumes|exec)\/(?!json$|create$|prune$)[^/]+/, '/$1/{id}')
    .replace(/^\/images\/.+\/json$/, '/images/{name}/json');
  return `${call.method} ${path}`;
}

function table(calls: TracedCall[]): string {
  const groups = new Map<string, TracedCall[]>();
  for (const c of [...calls].sort((a, b) => a.start - b.start)) {
    groups.set(kindOf(c), [...(groups.get(kindOf(c)) ?? []), c]);
  }
  const ms = (x: number) => x.toFixed(0);
  const rows = ['| call | n | first start | last end | median | max |', '|---|---:|---:|---:|---:|---:|'];
  for (const [kind, cs] of groups) {
    const lat = cs.map((c) => c.end - c.start).sort((a, b) => a - b);
    const lastEnd = Math.max(...cs.map((c) => c.end));
    rows.push(
      `| ${kind} | ${cs.length} | ${ms(cs[0].start)} | ${ms(lastEnd)} | ${ms(lat[lat.length >> 1])} | ${ms(lat[lat.length - 1])} |`,
    );
  }
  return rows.join('\n');
}

async function trace(tool: ComposeTool, proxy: TraceProxy, services: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-calls-'));
  const project = `berthcalls${tool.name.slice(0, 2)}${services}`;
  try {
    for (const phase of PHASES) {
      writeFileSync(join(dir, 'compose.yaml'), benchStack(services, phase.variable));
      proxy.reset();
      const cost = await runTool(tool, tool.argv(dir, project, phase, services));
      const writes = proxy.calls.filter((c) => c.method !== 'GET' && c.method !== 'HEAD').length;
      process.stdout.write(
        `\n### ${tool.name}, ${services} services: ${phase.label} — ${(cost.wall / 1000).toFixed(2)} s wall, ` +
          `CLI CPU ${(cost.cpu / 1000).toFixed(2)} s, ${proxy.calls.length} calls (${writes} writes)\n\n`,
      );
      process.stdout.write(`${table(proxy.calls)}\n`);
      if (process.env.BENCH_TRACE_ALL === '1') {
        for (const c of [...proxy.calls].sort((a, b) => a.start - b.start)) {
          process.stdout.write(
            `  ${c.start.toFixed(1)}–${c.end.toFixed(1)} ${c.status} ${c.method} ${c.path}\n`,
          );
        }
      }
    }
  } finally {
    await runTool(tool, tool.cleanup(dir, project)).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'berth-bench-proxy-'));
let embedded: EmbeddedEngine | undefined;
const proxies: TraceProxy[] = [];
try {
  const dockerProxy = await startTraceProxy(join(scratch, 'docker.sock'), dockerSocket);
  proxies.push(dockerProxy);
  const targets: Array<[ComposeTool, TraceProxy]> = [];
  if (wanted('embedded')) {
    embedded = await startEmbeddedEngine();
    const p = await startTraceProxy(join(scratch, 'embedded.sock'), embedded.socketPath);
    proxies.push(p);
    targets.push([berthOn('berth + embedded', p.host), p]);
  }
  if (wanted('dockerd')) targets.push([berthOn('berth + dockerd', dockerProxy.host), dockerProxy]);
  if (wanted('compose'))
    targets.push([composeOn('docker-compose 1.29 + dockerd', dockerProxy.host), dockerProxy]);
  if (wanted('floor'))
    targets.push([floorOn('floor (bare node:http) + dockerd', dockerProxy.host), dockerProxy]);
  for (const [tool] of targets) await ensureBenchImage(tool.host);
  for (const n of sizes) for (const [tool, proxy] of targets) await trace(tool, proxy, n);
} finally {
  for (const p of proxies) await p.close();
  await embedded?.stop();
  rmSync(scratch, { recursive: true, force: true });
}

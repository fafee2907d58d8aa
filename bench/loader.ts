import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadProject } from '../src/loader/load-project.js';
import { parseWithLibrary } from '../src/loader/parse-yaml.js';
import { parsePlainYaml } from '../src/loader/plain-yaml/parse-plain-yaml.js';
import { PositionIndex } from '../src/loader/tree-path.js';
import { validateSchema } from '../src/loader/validate-schema.js';

/**
 * Loader benchmarks: `berth --version` and `berth config -q` on a generated 200-service stack,
 * against bare `node -e ''` (the floor) and docker-compose 1.29 when it is installed, plus the
 * in-process cost of the stages on the same file. Uses hyperfine when installed, else a loop of
 * spawnSync. Prints a markdown table; asserts nothing.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'berth-bench-loader-'));
const SERVICES = 200;

/** A stack shaped like real ones: every service with ports, env, a healthcheck, volumes and dependencies. */
function generateStack(count: number): string {
  // No top-level `name:`: docker-compose 1.29 rejects it; the project name is given with -p.
  const lines = ['services:'];
  for (let i = 0; i < count; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: example/app-${i % 7}:\${TAG:-1.${i}}`,
      '    command: ["serve", "--port", "8080"]',
      `    ports: ["127.0.0.1:${10000 + i}:8080", "${20000 + i}:9090/udp"]`,
      '    environment:',
      `      SERVICE_INDEX: "${i}"`,
      `      LOG_LEVEL: \${LOG_LEVEL:-info}`,
      `    volumes: ["data${i % 10}:/var/lib/app", "./conf:/etc/app:ro"]`,
      `    networks: { front: { aliases: [alias${i}] }, back: null }`,
      '    healthcheck: { test: ["CMD", "true"], interval: 10s, timeout: 2s, retries: 3, start_period: 1m30s }',
      '    deploy: { resources: { limits: { memory: 512m } } }',
      '    labels: { com.example.tier: backend }',
    );
    if (i > 0) lines.push(`    depends_on: { svc${i - 1}: { condition: service_healthy } }`);
  }
  lines.push('networks: { front: {}, back: { internal: true } }', 'volumes:');
  for (let v = 0; v < 10; v++) lines.push(`  data${v}: {}`);
  return `${lines.join('\n')}\n`;
}

interface Row {
  name: string;
  /** Wall-clock mean and deviation, ms. */
  mean: number;
  stddev: number;
  /** Mean CPU time (user + system), ms: steadier than wall-clock on a shared machine. */
  cpu?: number;
}

function hyperfine(commands: Array<[string, string]>): Row[] {
  const out = join(dir, 'hyperfine.json');
  const args = ['--warmup', '2', '--min-runs', '10', '-N', '--export-json', out];
  for (const [name, cmd] of commands) args.push('-n', name, cmd);
  execFileSync('hyperfine', args, { stdio: ['ignore', 'ignore', 'inherit'], cwd: dir });
  const results = JSON.parse(readFileSync(out, 'utf8')).results as Array<{
    command: string;
    mean: number;
    stddev: number;
    user: number;
    system: number;
  }>;
  return results.map((r) => ({
    name: r.command,
    mean: r.mean * 1000,
    stddev: r.stddev * 1000,
    cpu: (r.user + r.system) * 1000,
  }));
}

function spawnLoop(commands: Array<[string, string]>, runs = 15): Row[] {
  return commands.map(([name, cmd]) => {
    const [bin, ...args] = cmd.split(' ');
    const times: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const t = performance.now();
      spawnSync(bin, args, { cwd: dir, stdio: 'ignore' });
      if (i >= 3) times.push(performance.now() - t);
    }
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const stddev = Math.sqrt(times.reduce((a, b) => a + (b - mean) ** 2, 0) / times.length);
    return { name, mean, stddev };
  });
}

function hasCommand(bin: string, args: string[]): boolean {
  return spawnSync(bin, args, { stdio: 'ignore' }).status === 0;
}

/** Mean in-process time of `fn` over `runs` runs after one warm-up. */
async function timeInProcess(fn: () => unknown, runs = 10): Promise<number> {
  await fn();
  const t = performance.now();
  for (let i = 0; i < runs; i++) await fn();
  return (performance.now() - t) / runs;
}

try {
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, generateStack(SERVICES));
  const node = process.execPath;
  const commands: Array<[string, string]> = [
    ["node -e ''", `${node} -e ''`],
    ['berth --version', `${node} ${cli} --version`],
    [`berth config -q (${SERVICES} services)`, `${node} ${cli} config -q -p bench -f ${file}`],
    // The same with the escape hatch: every file read by the yaml library, not the fast path.
    [
      `berth config -q, BERTH_YAML=library (${SERVICES} services)`,
      `/usr/bin/env BERTH_YAML=library ${node} ${cli} config -q -p bench -f ${file}`,
    ],
  ];
  if (hasCommand('docker-compose', ['version'])) {
    commands.push([
      `docker-compose 1.29 config -q (${SERVICES} services)`,
      `docker-compose -p bench -f ${file} config -q`,
    ]);
  }
  const rows = hasCommand('hyperfine', ['--version']) ? hyperfine(commands) : spawnLoop(commands);
  const floor = rows[0].mean;
  const text = readFileSync(file, 'utf8');
  const tree = parse(text);
  const fastParse = await timeInProcess(() => parsePlainYaml(text, 'compose.yaml'));
  const libraryParse = await timeInProcess(() => parseWithLibrary(text, 'compose.yaml'));
  const validate = await timeInProcess(() => validateSchema(tree, new PositionIndex()));
  const load = await timeInProcess(() =>
    loadProject({ files: [file], cwd: dir, env: {}, projectName: 'bench' }),
  );

  const cpuFloor = rows[0].cpu ?? 0;
  const ms = (n: number | undefined) => (n === undefined ? 'n/a' : n.toFixed(1));
  process.stdout.write(
    "| command | mean (ms) | ± (ms) | over node -e '' (ms) | CPU (ms) | CPU over node (ms) |\n",
  );
  process.stdout.write('|---|---:|---:|---:|---:|---:|\n');
  for (const r of rows) {
    const cpuOver = r.cpu === undefined ? undefined : r.cpu - cpuFloor;
    const cells = [r.name, ms(r.mean), ms(r.stddev), ms(r.mean - floor), ms(r.cpu), ms(cpuOver)];
    process.stdout.write(`| ${cells.join(' | ')} |\n`);
  }
  process.stdout.write(`\nIn process, ${SERVICES} services: schema validation ${validate.toFixed(1)} ms, `);
  process.stdout.write(`whole loadProject (parse to graph) ${load.toFixed(1)} ms; parse alone `);
  process.stdout.write(
    `${fastParse.toFixed(1)} ms on the plain-YAML fast path, ${libraryParse.toFixed(1)} ms with the yaml library.\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

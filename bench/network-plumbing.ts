import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { withHostLock } from '../runtime/network/host-lock.js';
import { type Candidate, CNI_PATH, cni, NETAVARK, netavark } from './support/network-plumbing-candidates.js';
import {
  freshNamespaceFile,
  leftovers,
  mounted,
  type Place,
  plumbingProblems,
  textOf,
} from './support/network-plumbing-checks.js';
import { bareNamespace, handWritten } from './support/network-plumbing-floors.js';
import { cleanUp, restoreIsolationJump, snapshot } from './support/network-plumbing-hygiene.js';
import {
  countExecs,
  runBestEffort,
  runStep,
  type Step,
  type StepTime,
} from './support/network-plumbing-shell.js';

/**
 * Network plumbing (root): what setting up and tearing down ONE container's networking costs with
 * netavark 1.4 (what the engine uses), with the CNI plugins chained as a CNI runtime does, and
 * with the floors (a hand-written engine at its best; a bare namespace). Each candidate puts a
 * container on a fresh bridge with one TCP port published on 127.0.0.1, is checked to have
 * really done so, and is torn down; candidates are interleaved in a rotating order for
 * BENCH_ROUNDS rounds (default 9), so the per-round ratios cancel load from other work. Prints
 * a markdown table; asserts nothing. No packet is sent anywhere.
 */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 9));
/** The lock every berth engine takes around netavark calls (runtime/network/netavark.ts). */
const NETAVARK_LOCK = '/run/berth-netavark.lock';

/** How often netavark's teardown took away another network's isolation jump (see restoreIsolationJump). */
let isolationRepairs = 0;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** An IPv4 address as a number. */
const ipValue = (ip: string) => ip.split('.').reduce((v, b) => v * 256 + Number(b), 0);

/** `count` distinct third octets for 10.254.<o>.0/24 that no route on the host overlaps. */
function freeOctets(count: number): number[] {
  const routes = [
    ...textOf('ip', ['-4', 'route', 'show', 'table', 'all']).matchAll(/^(?:\w+ )?([\d.]+)(?:\/(\d+))?/gm),
  ];
  const ranges = routes.map((m) => {
    const len = Number(m[2] ?? 32);
    const size = 2 ** (32 - len);
    const start = Math.floor(ipValue(m[1] ?? '0.0.0.0') / size) * size;
    return [start, start + size] as const;
  });
  const taken = (o: number) => {
    const start = ipValue(`10.254.${o}.0`);
    return ranges.some(([a, b]) => a < start + 256 && start < b);
  };
  const octets = new Set<number>();
  for (let tries = 0; octets.size < count && tries < 1000; tries++) {
    const o = 1 + ((randomBytes(1)[0] ?? 0) % 254);
    if (!taken(o)) octets.add(o);
  }
  if (octets.size < count) throw new Error('no free 10.254.x.0/24 subnets on this host');
  return [...octets];
}

/** A port on 127.0.0.1 held open by the bench (as the engine holds published ports). */
function holdPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const portOf = (s: Server) => (s.address() as { port: number }).port;

/** Runs a step under the netavark lock when the candidate's calls need it. */
async function inTurn<T>(c: Candidate, fn: () => T): Promise<T> {
  return c.locked ? withHostLock(NETAVARK_LOCK, async () => fn()) : fn();
}

/**
 * One container's setup and teardown by `c`, each step run by `run`; throws when the setup did
 * not plumb what was asked or the teardown left anything.
 */
async function cycle<T>(c: Candidate, port: number, run: (s: Step, what: string) => T): Promise<[T, T]> {
  freshNamespaceFile(c.at.netns);
  const setup = await inTurn(c, () => run(c.setup(), `${c.label} setup`));
  const problems = c.plumbs ? plumbingProblems(c.at, port) : mounted(c.at.netns) ? [] : ['no namespace'];
  if (problems.length) throw new Error(`${c.label} did not plumb: ${problems.join('; ')}`);
  const teardown = await inTurn(c, () => {
    const took = run(c.teardown(), `${c.label} teardown`);
    if (c.locked && restoreIsolationJump()) isolationRepairs++;
    return took;
  });
  const left = c.plumbs ? leftovers(c.at) : mounted(c.at.netns) ? ['namespace mount'] : [];
  if (left.length) throw new Error(`${c.label} teardown left: ${left.join('; ')}`);
  return [setup, teardown];
}

/** "N (3 iptables, 1 ip, ...)" for a step's exec count. */
function execSummary(e: ReturnType<typeof countExecs>): string {
  const parts = [...e.byProgram].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${n} ${p}`);
  return `${e.total} (${parts.join(', ')})`;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    process.stdout.write('network-plumbing: needs root (namespaces, bridges, iptables); skipped\n');
    return;
  }
  const tag = randomBytes(3).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), `bpb-${tag}-`));
  mkdirSync(join(dir, 'netavark'));
  const servers = await Promise.all([0, 1, 2, 3].map(() => holdPort()));
  const octets = freeOctets(4);
  const place = (i: number): Place => ({
    dir,
    tag,
    octet: octets[i] ?? 0,
    port: portOf(servers[i] as Server),
  });
  const floor = handWritten(place(2));
  const candidates = [
    ...(existsSync(NETAVARK) ? [netavark(place(0))] : []),
    ...(existsSync(join(CNI_PATH, 'portmap')) ? [cni(place(1))] : []),
    floor,
    bareNamespace(place(3)),
  ];
  const portFor = (c: Candidate) => place(candidates.indexOf(c)).port;
  const before = snapshot();
  const dirty = new Set<Candidate>(candidates);
  const times = new Map(candidates.map((c) => [c, [] as Array<[StepTime, StepTime]>]));
  const forks = new Map<Candidate, string>();
  let warnings: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < candidates.length; i++) {
        const c = candidates[(round + i) % candidates.length] as Candidate;
        times.get(c)?.push(await cycle(c, portFor(c), runStep));
      }
    }
    const hasStrace = textOf('sh', ['-c', 'command -v strace']).trim() !== '';
    for (const c of candidates) {
      if (!hasStrace) break;
      const trace = join(dir, 'trace');
      const [s, t] = await cycle(c, portFor(c), (step, what) => countExecs(step, what, trace));
      forks.set(c, `${execSummary(s)} / ${execSummary(t)}`);
    }
    dirty.clear();
  } finally {
    await withHostLock(NETAVARK_LOCK, async () => {
      for (const c of dirty) runBestEffort(c.rescue());
      warnings = cleanUp(
        before,
        [`bpb${tag}`, `BPB-${tag}`, ...octets.map((o) => `10.254.${o}.`)],
        [`bpb${tag}`, `bpv${tag}`],
        dir,
      );
    });
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  }
  report(candidates, floor, times, forks);
  if (isolationRepairs)
    warnings.push(
      `netavark teardown removed the FORWARD jump to NETAVARK_ISOLATION_1 while other isolated networks had rules there (${isolationRepairs}x); the bench put it back each time`,
    );
  for (const w of warnings) process.stdout.write(`WARNING: ${w}\n`);
}

/** The table: medians, CPU, programs exec'd, and each round's ratio to the hand-written floor. */
function report(
  candidates: Candidate[],
  floorCandidate: Candidate,
  times: Map<Candidate, Array<[StepTime, StepTime]>>,
  forks: Map<Candidate, string>,
): void {
  const floor = times.get(floorCandidate) ?? [];
  const total = ([s, t]: [StepTime, StepTime]) => s.wallMs + t.wallMs;
  const out = [
    `${ROUNDS} rounds, candidates interleaved in rotating order; load average ${loadavg()[0]?.toFixed(2)}.`,
    'Setup includes the namespace, the bridge and the veth; teardown removes the bridge and the namespace too.',
    'CPU: user+system time of every program the step ran. Programs: execs counted under `strace -f` (setup / teardown).',
    '',
    "| candidate | setup median | teardown median | CPU setup+teardown | programs exec'd | wall vs hand-written floor |",
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of candidates) {
    const runs = times.get(c) ?? [];
    const ratio = median(runs.map((r, i) => total(r) / total(floor[i] as [StepTime, StepTime])));
    const ms = (xs: number[]) => `${median(xs).toFixed(1)} ms`;
    out.push(
      `| ${c.label} | ${ms(runs.map((r) => r[0].wallMs))} | ${ms(runs.map((r) => r[1].wallMs))} | ${ms(runs.map((r) => r[0].cpuMs + r[1].cpuMs))} | ${forks.get(c) ?? 'n/a (no strace)'} | ${ratio.toFixed(2)}x |`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`network-plumbing: ${err.message}\n`);
  process.exitCode = 1;
});

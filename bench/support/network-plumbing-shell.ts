import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * How bench/network-plumbing.ts runs one candidate's setup or teardown: as ONE bash script whose
 * own clock (`$EPOCHREALTIME`) and `times` (user and system CPU of every child it reaped, and of
 * their children) bracket the work, so wall and CPU cover exactly the programs a candidate runs,
 * not the bash start-up or Node's spawn. The commands are the ones an engine would exec; bash only
 * strings them together (assignments, here-strings and `printf` are builtins: no extra process).
 */

/** A step: command lines run in order (the first failure ends it), with extra environment. */
export interface Step {
  lines: string[];
  env?: Record<string, string>;
}

/** What one run of a step took: wall and children's CPU time, in ms. */
export interface StepTime {
  wallMs: number;
  cpuMs: number;
}

/** A string as one single-quoted bash word. */
export const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** The wrapper: CPU before, clock, the work (its output to stderr), clock, CPU after. */
function wrapped(step: Step): string {
  const work = step.lines.map((line) => `${line} || exit $?`).join('\n');
  return `times\nt0=$EPOCHREALTIME\n{\n${work}\n} >&2\nt1=$EPOCHREALTIME\ntimes\necho "wall $t0 $t1"\n`;
}

/** Children's user+system seconds from the second line of a `times` output. */
function childrenCpu(lines: string[]): number {
  const fields = [...(lines[1] ?? '').matchAll(/(\d+)m([\d.]+)s/g)];
  return fields.reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
}

/** Runs a step once; throws with its output when a command fails. */
export function runStep(step: Step, what: string): StepTime {
  const res = spawnSync('bash', ['-c', wrapped(step)], {
    encoding: 'utf8',
    env: { ...process.env, ...step.env, LC_ALL: 'C' },
  });
  if (res.status !== 0) throw new Error(`${what} failed (${res.status ?? res.signal}): ${res.stderr.trim()}`);
  const out = res.stdout.trim().split('\n');
  const wall = /^wall ([\d.]+) ([\d.]+)$/.exec(out.at(-1) ?? '');
  if (!wall) throw new Error(`${what}: unexpected wrapper output ${res.stdout}`);
  return {
    wallMs: (Number(wall[2]) - Number(wall[1])) * 1000,
    cpuMs: (childrenCpu(out.slice(2, 4)) - childrenCpu(out.slice(0, 2))) * 1000,
  };
}

/**
 * The programs a step execs, counted by running it once under `strace -f` (successful execve
 * calls, the wrapper's own bash left out), as `{ total, byProgram }`.
 */
export function countExecs(
  step: Step,
  what: string,
  traceFile: string,
): { total: number; byProgram: Map<string, number> } {
  const res = spawnSync(
    'strace',
    [
      '-f',
      '-qq',
      '-e',
      'trace=execve',
      '-e',
      'status=successful',
      '-o',
      traceFile,
      'bash',
      '-c',
      wrapped(step),
    ],
    { encoding: 'utf8', env: { ...process.env, ...step.env, LC_ALL: 'C' } },
  );
  if (res.status !== 0) throw new Error(`${what} under strace failed: ${res.stderr.trim()}`);
  const programs = readFileSync(traceFile, 'utf8')
    .split('\n')
    .map((l) => /execve\("([^"]+)"/.exec(l)?.[1])
    .filter((p): p is string => Boolean(p))
    .slice(1);
  const byProgram = new Map<string, number>();
  for (const p of programs) byProgram.set(basename(p), (byProgram.get(basename(p)) ?? 0) + 1);
  return { total: programs.length, byProgram };
}

/** Runs every line of a step whatever fails (undoing a round that broke half-way). */
export function runBestEffort(step: Step): void {
  spawnSync('bash', ['-c', step.lines.join('\n')], {
    stdio: 'ignore',
    env: { ...process.env, ...step.env, LC_ALL: 'C' },
  });
}

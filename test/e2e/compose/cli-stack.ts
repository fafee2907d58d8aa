import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import { type EngineFixture, forceCleanup, uniqueProjectName } from './harness.js';

/** The built berth CLI. */
export const BERTH_MAIN = resolve(import.meta.dirname, '../../../dist/src/cli/main.js');

/** A result of `berth <args>` run to its end. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A stack in a temporary folder and runners of the berth CLI in it, on the fixture's engine. */
export interface CliStack {
  name: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  /** `berth <args>` with empty standard input. */
  berth(...args: string[]): CliResult;
  /** `berth <args>` with `input` on standard input. */
  berthWithInput(input: string, ...args: string[]): CliResult;
  /** `berth <args>` started in the background (the test stops it by its PID). */
  attached(...args: string[]): ChildProcessWithoutNullStreams;
}

/**
 * A maker of CLI stacks for the tests of the enclosing describe: each gets its own folder and
 * project name (COMPOSE_PROJECT_NAME), and after each test whatever the project left on the
 * engine is removed and the folder deleted.
 */
export function cliStacks(fx: EngineFixture, prefix = 'cli'): (yaml: string) => CliStack {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  return (yaml) => {
    const dir = mkdtempSync(join(tmpdir(), `berth-${prefix}-`));
    const name = uniqueProjectName(prefix);
    cleanups.push(async () => {
      await forceCleanup(fx.engine, name);
      rmSync(dir, { recursive: true, force: true });
    });
    writeFileSync(join(dir, 'compose.yaml'), yaml);
    const env = {
      ...process.env,
      DOCKER_HOST: fx.started!.host,
      BERTH_HOST: '',
      COMPOSE_PROJECT_NAME: name,
      NO_COLOR: '1',
    };
    const berthWithInput = (input: string, ...args: string[]) => {
      const res = spawnSync(process.execPath, [BERTH_MAIN, ...args], {
        cwd: dir,
        env,
        encoding: 'utf8',
        input,
      });
      return { code: res.status, stdout: res.stdout, stderr: res.stderr };
    };
    return {
      name,
      dir,
      env,
      berth: (...args) => berthWithInput('', ...args),
      berthWithInput,
      attached: (...args) => spawn(process.execPath, [BERTH_MAIN, ...args], { cwd: dir, env }),
    };
  };
}

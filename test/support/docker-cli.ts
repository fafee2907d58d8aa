import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * The docker CLI the e2e tests drive: `BERTH_TEST_DOCKER_CLI` when set, else the newest one
 * installed (28, in /usr/local/bin on the CI machine), else whichever `docker` is on PATH.
 */
export const DOCKER_CLI =
  process.env.BERTH_TEST_DOCKER_CLI ??
  (existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker');

/** Debian's docker CLI 20.10, when it is installed as a second CLI next to the newest one. */
export const DOCKER_CLI_20 =
  existsSync('/usr/bin/docker') && DOCKER_CLI !== '/usr/bin/docker' && DOCKER_CLI !== 'docker'
    ? '/usr/bin/docker'
    : undefined;

const run = promisify(execFile);

/**
 * Runs the docker CLI against the engine `host()` names (read at each call, so it can be given
 * before the engine starts) and resolves with its trimmed standard output; rejects on failure.
 */
export function dockerOn(host: () => string, bin = DOCKER_CLI): (args: string[]) => Promise<string> {
  return async (args) => {
    const { stdout } = await run(bin, args, {
      env: { ...process.env, DOCKER_HOST: host(), DOCKER_BUILDKIT: '0' },
    });
    return stdout.trim();
  };
}

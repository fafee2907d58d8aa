import { existsSync } from 'node:fs';

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

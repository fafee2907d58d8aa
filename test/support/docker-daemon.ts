import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { EngineClient } from '../../src/client/engine-client.js';
import { isBerthError } from '../../src/errors/kinds.js';
import { busyboxRootfsTar, TEST_IMAGE, TEST_IMAGE_CHANGES } from './busybox-rootfs.js';

/** The local Docker daemon's socket (the tests never touch any other daemon). */
export const DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * True when a Docker daemon answers `/_ping` on {@link DOCKER_SOCKET}. Synchronous (a child
 * process asks), so test files can decide at collection time which suites to declare.
 */
export function dockerAvailable(timeoutMs = 3_000): boolean {
  if (!existsSync(DOCKER_SOCKET)) return false;
  const script = `require('node:http').get({socketPath:${JSON.stringify(DOCKER_SOCKET)},path:'/_ping',timeout:${timeoutMs}},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))`;
  return spawnSync(process.execPath, ['-e', script], { timeout: timeoutMs + 2_000 }).status === 0;
}

/** A berth client for the local Docker daemon. */
export function dockerClient(): EngineClient {
  return new EngineClient({ host: `unix://${DOCKER_SOCKET}` });
}

/**
 * Makes sure `berth-test/busybox:latest` exists on the engine behind `client`, importing it from
 * the busybox rootfs (test/support/busybox-rootfs.ts) through `images.import` when missing.
 * Shared by every test: it is never removed.
 */
export async function ensureTestImage(client: EngineClient): Promise<string> {
  try {
    return (await client.images.inspect(TEST_IMAGE)).Id;
  } catch (err) {
    if (!isBerthError(err, 'not-found')) throw err;
  }
  const [repo, tag] = TEST_IMAGE.split(':') as [string, string];
  for await (const _ of client.images.import(createReadStream(busyboxRootfsTar()), {
    repo,
    tag,
    changes: TEST_IMAGE_CHANGES,
  })) {
    // Progress is not interesting; errors are thrown by the iterator.
  }
  return (await client.images.inspect(TEST_IMAGE)).Id;
}

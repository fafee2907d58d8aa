import { existsSync } from 'node:fs';
import { EngineClient } from '../../src/client/engine-client.js';
import { DOCKER_SOCKET, dockerAvailable } from './docker-daemon.js';
import { ENGINE_MAIN, startEmbeddedEngine } from './embedded-engine.js';

/** An engine the same test suite runs against. */
export interface EngineTarget {
  name: 'docker' | 'embedded';
  /** Starts (or connects to) the engine; `stop` releases whatever `start` made. */
  start(): Promise<StartedEngine>;
  /** Tests this engine is known not to pass yet, and why (matched against full test names). */
  skips?: Array<{ reason: string; tests: string[] }>;
}

/** A running engine and a client for it. */
export interface StartedEngine {
  host: string;
  client: EngineClient;
  stop(): Promise<void>;
}

/** The local Docker daemon (never started or stopped by tests: it belongs to the machine). */
export const dockerTarget: EngineTarget = {
  name: 'docker',
  async start() {
    const host = `unix://${DOCKER_SOCKET}`;
    const client = new EngineClient({ host });
    return { host, client, stop: async () => client.close() };
  },
};

/**
 * berth's embedded engine, started for the suite with its own data root and socket (needs
 * root and `npm run build`); stopping it fails if it leaked mounts or container processes.
 */
export const embeddedTarget: EngineTarget = {
  name: 'embedded',
  async start() {
    const engine = await startEmbeddedEngine();
    const client = new EngineClient({ host: engine.host });
    return {
      host: engine.host,
      client,
      stop: async () => {
        client.close();
        try {
          engine.assertNoLeaks();
        } finally {
          await engine.stop();
        }
      },
    };
  },
  skips: [
    {
      reason:
        'an anonymous pull from a registry that wants credentials answers not-found where dockerd answers unauthorized',
      tests: ['a registry with basic auth refuses anonymous pushes and accepts credentials'],
    },
    {
      reason:
        'a build does not yet pull a missing FROM image (with X-Registry-Config credentials) as dockerd does',
      tests: ['a build pulls its base image from a registry with credentials from the config file'],
    },
    {
      reason:
        'a corrupt archive is bad input: the embedded engine answers 400 (invalid) where dockerd answers 500',
      tests: ['engine: a server-side failure (a corrupt archive)'],
    },
  ],
};

/** True when the embedded engine can run here: built, and run as root. */
export function embeddedAvailable(): boolean {
  return existsSync(ENGINE_MAIN) && process.getuid?.() === 0;
}

/**
 * The engines available on this machine: the Docker daemon when one answers. Conformance
 * suites are written as a function of an {@link EngineTarget} and run once per entry.
 */
export function availableEngines(): EngineTarget[] {
  const targets: EngineTarget[] = [];
  if (dockerAvailable()) targets.push(dockerTarget);
  if (embeddedAvailable()) targets.push(embeddedTarget);
  // BERTH_TEST_ENGINES=embedded (or docker) runs the suites on one engine only.
  const only = process.env.BERTH_TEST_ENGINES?.split(',').filter(Boolean);
  return only?.length ? targets.filter((t) => only.includes(t.name)) : targets;
}

/**
 * Why `testName` is skipped on the target, when it is listed in its skips. BERTH_TEST_NO_SKIPS=1
 * runs every test anyway, to see which skips an engine has outgrown.
 */
export function skipped(target: EngineTarget, testName: string): string | undefined {
  if (process.env.BERTH_TEST_NO_SKIPS === '1') return undefined;
  return target.skips?.find((s) => s.tests.includes(testName))?.reason;
}

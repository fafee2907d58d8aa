import { EngineClient } from '../../src/client/engine-client.js';
import { DOCKER_SOCKET, dockerAvailable } from './docker-daemon.js';

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
 * The engines available on this machine: the Docker daemon when one answers. Conformance
 * suites are written as a function of an {@link EngineTarget} and run once per entry.
 */
export function availableEngines(): EngineTarget[] {
  const targets: EngineTarget[] = [];
  if (dockerAvailable()) targets.push(dockerTarget);
  return targets;
}

/** True when `testName` is listed in the target's skips. */
export function skipped(target: EngineTarget, testName: string): string | undefined {
  return target.skips?.find((s) => s.tests.includes(testName))?.reason;
}

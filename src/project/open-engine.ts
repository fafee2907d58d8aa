import { EngineClient } from '../client/index.js';
import type { EnginePort } from '../reconcile/engine-port.js';

/** An engine connection a project owns; `close()` lets the process exit. */
export type OwnedEngine = EnginePort & { close(): void };

/**
 * Connects to the engine at `host` (`unix:///...`, `tcp://...`; default: `BERTH_HOST`,
 * `DOCKER_HOST`, then the embedded engine). The one place berth's project layer makes a client.
 */
export function openEngine(host?: string): OwnedEngine {
  return new EngineClient({ host });
}

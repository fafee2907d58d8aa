import type { EnginePort } from '../reconcile/engine-port.js';
import { Label } from '../reconcile/labels.js';

/** One event of a project's containers, as `events --json` prints it (Compose's shape). */
export interface ProjectEvent {
  time: string;
  type: string;
  action: string;
  id: string;
  service: string;
  attributes: Record<string, string>;
}

/** The project's container events as they happen, until `signal` aborts. */
export async function* projectEvents(
  engine: EnginePort,
  project: string,
  services: string[],
  signal?: AbortSignal,
): AsyncGenerator<ProjectEvent> {
  const filters = { type: ['container'], label: [`${Label.project}=${project}`] };
  try {
    for await (const e of engine.system.events({ filters, signal })) {
      const service = e.Actor.Attributes[Label.service] ?? '';
      if (services.length && !services.includes(service)) continue;
      const ns = e.timeNano ?? e.time * 1e9;
      const attributes = Object.fromEntries(
        Object.entries(e.Actor.Attributes).filter(
          ([k]) => !k.startsWith('com.docker.compose.') && k !== Label.config,
        ),
      );
      yield {
        time: new Date(ns / 1e6).toISOString(),
        type: e.Type,
        action: e.Action,
        id: e.Actor.ID,
        service,
        attributes,
      };
    }
  } catch (err) {
    if (!signal?.aborted) throw err;
  }
}

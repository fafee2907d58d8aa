import { setTimeout as delay } from 'node:timers/promises';
import { errors } from '../errors/kinds.js';
import type { Project as ProjectModel } from '../model/project.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { Label, projectFilter } from '../reconcile/labels.js';
import { servicesInScope } from '../reconcile/reconcile.js';
import type { UpOptions } from './options.js';

/**
 * `up --wait`: polls the project's containers (one list call per round) until each is running
 * and, when it has a health check, healthy; a container that exited 0 counts as done (a one-shot
 * service). An unhealthy or failed container, or the deadline, ends the wait with an error that
 * names the service.
 */
export async function waitForServices(
  engine: EnginePort,
  model: ProjectModel,
  options: UpOptions,
): Promise<void> {
  const services = new Set(servicesInScope(model, options).map((s) => s.name));
  const deadline = options.waitTimeoutMs ? Date.now() + options.waitTimeoutMs : Number.POSITIVE_INFINITY;
  for (;;) {
    const listed = await engine.containers.list({
      all: true,
      filters: projectFilter(model.name),
      signal: options.signal,
    });
    const ours = listed.filter(
      (c) => services.has(c.Labels?.[Label.service] ?? '') && c.Labels?.[Label.oneoff] !== 'True',
    );
    let pending: string | undefined;
    for (const c of ours) {
      const service = c.Labels?.[Label.service] ?? '';
      const status = c.Status.toLowerCase();
      if (c.State === 'exited' && /^exited \(0\)/.test(status)) continue;
      if (c.State === 'exited' || c.State === 'dead') {
        throw errors.failed(`container ${c.Names[0]?.slice(1)} exited: ${c.Status}`, { service });
      }
      if (status.includes('(unhealthy)'))
        throw errors.failed(`container ${c.Names[0]?.slice(1)} is unhealthy`, { service });
      if (c.State !== 'running' || status.includes('health: starting')) pending ??= service;
    }
    if (!pending) return;
    if (Date.now() > deadline) {
      throw errors.timeout(`timed out waiting for service "${pending}" to be running and healthy`, {
        service: pending,
      });
    }
    await delay(250, undefined, { signal: options.signal }).catch(() => {
      throw errors.cancelled('interrupted');
    });
  }
}

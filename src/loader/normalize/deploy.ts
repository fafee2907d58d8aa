import type { Service } from '../../model/project.js';
import type { TreePath } from '../tree-path.js';
import type { Problems } from './problems.js';
import { parseBytes } from './units.js';
import { asMapping, toInt, toNumber } from './values.js';

/**
 * `scale` wins; else `deploy.replicas`; both set and different is an error, as in Compose.
 * `replicas` is then dropped from `deploy`: the model has one place for the count.
 */
export function foldReplicas(
  service: Service,
  raw: Record<string, unknown>,
  base: TreePath,
  problems: Problems,
): void {
  const deploy = service.deploy;
  if (!deploy || deploy.replicas === undefined) return;
  const { replicas, ...rest } = deploy;
  if (Object.keys(rest).length > 0) service.deploy = rest;
  else delete service.deploy;
  let n: number;
  try {
    n = toInt(replicas);
  } catch (err) {
    problems.add([...base, 'deploy', 'replicas'], (err as Error).message, service.name);
    return;
  }
  if (raw.scale !== undefined && service.scale !== n) {
    problems.add(
      [...base, 'scale'],
      `scale (${service.scale}) and deploy.replicas (${n}) differ`,
      service.name,
    );
    return;
  }
  service.scale = n;
}

/** `deploy.resources` fields and the service attributes they set, with their converters. */
const RESOURCE_FIELDS: Array<{
  from: ['limits' | 'reservations', string];
  to: 'mem_limit' | 'mem_reservation' | 'cpus' | 'pids_limit';
  convert: (v: unknown) => number;
}> = [
  { from: ['limits', 'memory'], to: 'mem_limit', convert: parseBytes },
  { from: ['limits', 'cpus'], to: 'cpus', convert: toNumber },
  { from: ['limits', 'pids'], to: 'pids_limit', convert: toInt },
  { from: ['reservations', 'memory'], to: 'mem_reservation', convert: parseBytes },
];

/**
 * Container resources given under `deploy.resources` apply to the container as Compose applies
 * them (they win over `mem_limit`, `cpus`, `pids_limit`, `mem_reservation`), so the model's
 * service attributes hold what the engine must be given; `deploy` itself is kept as written.
 */
export function foldResources(service: Service, base: TreePath, problems: Problems): void {
  const resources = asMapping(service.deploy?.resources);
  for (const { from, to, convert } of RESOURCE_FIELDS) {
    const value = asMapping(resources[from[0]])[from[1]];
    if (value === undefined || value === null) continue;
    try {
      service[to] = convert(value);
    } catch (err) {
      problems.add([...base, 'deploy', 'resources', ...from], (err as Error).message, service.name);
    }
  }
}

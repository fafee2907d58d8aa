import { homedir } from 'node:os';
import type { Project, Service } from '../../model/project.js';
import { checkConsistency } from './consistency.js';
import type { NormalizeContext } from './context.js';
import { Problems } from './problems.js';
import { activeServices } from './profiles.js';
import { normalizeFileObject, normalizeNetwork, normalizeVolume } from './resources.js';
import { normalizeService } from './service.js';
import { asMapping, put } from './values.js';
import type { PathResolver } from './volumes.js';
import { warnAbout } from './warnings.js';

export type { NormalizeContext } from './context.js';

/**
 * Stage 6: turns a validated tree into the canonical model (src/model/project.ts): every
 * attribute in long form, paths absolute, durations in nanoseconds, sizes in bytes, services
 * split into active and disabled by profile, the implicit `default` network added when a service
 * uses it. Every bad value is reported at once, located.
 */
export function normalizeProject(tree: Record<string, unknown>, ctx: NormalizeContext): Project {
  const problems = new Problems(ctx.positions);
  const paths: PathResolver = { workingDir: ctx.workingDir, home: ctx.environment.HOME || homedir() };
  const project = ctx.projectName;

  const all: Record<string, Service> = {};
  for (const [name, raw] of Object.entries(asMapping(tree.services))) {
    const service = normalizeService(name, asMapping(raw), ctx, paths, problems);
    if (Object.keys(service.networks).length === 0 && service.network_mode === undefined) {
      service.networks = { default: { aliases: [] } };
    }
    put(all, name, service);
  }
  const active = activeServices(all, ctx.profiles);
  const services: Record<string, Service> = {};
  const disabled: Record<string, Service> = {};
  for (const [name, service] of Object.entries(all))
    put(active.has(name) ? services : disabled, name, service);

  const networks = mapValues(tree.networks, (key, v) => normalizeNetwork(key, v, project));
  const usesDefault = Object.values(services).some((s) => Object.hasOwn(s.networks, 'default'));
  if (usesDefault && !Object.hasOwn(networks, 'default'))
    networks.default = normalizeNetwork('default', null, project);

  const out: Project = {
    name: project,
    working_dir: ctx.workingDir,
    config_files: [...ctx.configFiles],
    environment: { ...ctx.environment },
    services,
    disabled_services: disabled,
    networks,
    volumes: mapValues(tree.volumes, (key, v) => normalizeVolume(key, v, project)),
    secrets: mapValues(tree.secrets, (key, v) => normalizeFileObject(key, v, project, paths)),
    configs: mapValues(tree.configs, (key, v) => normalizeFileObject(key, v, project, paths)),
    extensions: Object.fromEntries(Object.entries(tree).filter(([k]) => k.startsWith('x-'))),
  };
  if (tree.models !== undefined) out.models = { ...asMapping(tree.models) };
  checkConsistency(all, problems);
  problems.throwIfAny('invalid stack file');
  warnAbout(tree, out, ctx);
  return out;
}

function mapValues<T>(section: unknown, fn: (key: string, value: unknown) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(asMapping(section))) put(out, key, fn(key, value));
  return out;
}

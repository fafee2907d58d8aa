import type { Project, Service } from '../model/project.js';
import { canonicalJson, digestOf } from './canonical-json.js';
import { hashedConfig } from './config-hash.js';
import type { CreateContext } from './create-body.js';
import { type InlineSources, inlineFiles } from './inline-files.js';
import { COMPOSE_VERSION_LABEL, containerName, Label } from './labels.js';
import type { ObservedContainer } from './observed-state.js';

/** What identifies a service's desired configuration: its hash and the configuration hashed. */
export interface DesiredIdentity {
  hash: string;
  config: Record<string, unknown>;
}

/**
 * The hash and hashed configuration of a service running `imageId`. With `inline`, the values of
 * its `environment:`/`content:` secrets and configs count too (as a digest, never in clear, since
 * the configuration is stored in a label), so a changed value recreates the container.
 */
export function desiredIdentity(
  service: Service,
  imageId: string | undefined,
  inline?: InlineSources,
): DesiredIdentity {
  const files = inline ? inlineFiles(service, inline) : [];
  const config = hashedConfig(service, imageId);
  if (files.length) config.inline_files = digestOf(files);
  return { hash: digestOf(config), config };
}

/** The Compose labels of container `n` of a service (`oneoff` for `run` containers). */
export function containerLabels(
  project: Project,
  service: Service,
  n: number,
  identity: DesiredIdentity,
  imageId: string | undefined,
  oneoff = false,
): Record<string, string> {
  const dependsOn = Object.entries(service.depends_on)
    .map(([name, d]) => `${name}:${d.condition}:${d.restart}`)
    .sort()
    .join(',');
  return {
    [Label.project]: project.name,
    [Label.service]: service.name,
    [Label.containerNumber]: String(n),
    [Label.oneoff]: oneoff ? 'True' : 'False',
    [Label.configHash]: identity.hash,
    [Label.config]: canonicalJson(identity.config),
    [Label.image]: imageId ?? '',
    [Label.dependsOn]: dependsOn,
    [Label.version]: COMPOSE_VERSION_LABEL,
    [Label.workingDir]: project.working_dir,
    [Label.configFiles]: project.config_files.join(','),
  };
}

/** The name container `n` of a service gets: `container_name`, or `<project>-<service>-<n>`. */
export function desiredContainerName(project: Project, service: Service, n: number): string {
  return service.container_name ?? containerName(project.name, service.name, n);
}

/** The translation context for the containers of `project`. */
export function createContext(project: Project, replaced?: ObservedContainer): CreateContext {
  const volumeNames = Object.fromEntries(Object.entries(project.volumes).map(([k, v]) => [k, v.name]));
  const named = new Set(Object.values(volumeNames));
  const carriedVolumes: Record<string, string> = {};
  for (const m of replaced?.mounts ?? []) {
    if (m.type === 'volume' && m.name && !named.has(m.name)) carriedVolumes[m.destination] = m.name;
  }
  const fileOf = (refs: Project['secrets']) =>
    Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, v.file]));
  return {
    project: project.name,
    networkNames: Object.fromEntries(Object.entries(project.networks).map(([k, v]) => [k, v.name])),
    volumeNames,
    serviceContainers: Object.fromEntries(
      Object.values(project.services).map((s) => [s.name, desiredContainerName(project, s, 1)]),
    ),
    environment: project.environment,
    carriedVolumes,
    fileRefs: { secrets: fileOf(project.secrets), configs: fileOf(project.configs) },
    inline: { secrets: project.secrets, configs: project.configs, environment: project.environment },
  };
}

/** The container number label of an observed container (0 when missing or malformed). */
export function containerNumber(c: ObservedContainer): number {
  const n = Number(c.labels[Label.containerNumber]);
  return Number.isInteger(n) ? n : 0;
}

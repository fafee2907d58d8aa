import { emptyService } from '../../../src/model/empty-service.js';
import type { BuildConfig, Project, Service } from '../../../src/model/project.js';
import { networkConfigHash } from '../../../src/reconcile/config-hash.js';
import {
  containerLabels,
  desiredContainerName,
  desiredIdentity,
} from '../../../src/reconcile/container-labels.js';
import { normalizeImageRef, serviceImage } from '../../../src/reconcile/image-ref.js';
import { Label } from '../../../src/reconcile/labels.js';
import type { ObservedContainer, ObservedState } from '../../../src/reconcile/observed-state.js';

/** A canonical service on the default network, overridden by `fields`. */
export function service(name: string, fields: Partial<Service> = {}): Service {
  return { ...emptyService(name), networks: { default: { aliases: [] } }, ...fields };
}

/** A canonical `build:` of `context`. */
export function buildConfig(context: string): BuildConfig {
  return {
    context,
    args: {},
    labels: {},
    cache_from: [],
    extra_hosts: [],
    tags: [],
    platforms: [],
    extensions: {},
  };
}

/** A project named `demo` in /srv/demo with the given services and a default network. */
export function project(services: Service[], extra: Partial<Project> = {}): Project {
  return {
    name: 'demo',
    working_dir: '/srv/demo',
    config_files: ['/srv/demo/compose.yaml'],
    environment: {},
    services: Object.fromEntries(services.map((s) => [s.name, s])),
    disabled_services: {},
    networks: { default: { name: 'demo_default', driver_opts: {}, labels: {}, extensions: {} } },
    volumes: {},
    secrets: {},
    configs: {},
    extensions: {},
    ...extra,
  };
}

/** Image IDs by reference, as an observed snapshot lists them. */
export function images(ids: Record<string, string>): ObservedState['images'] {
  return Object.fromEntries(
    Object.entries(ids).map(([ref, id]) => [normalizeImageRef(ref), { id, repoTags: [ref], labels: {} }]),
  );
}

/** The snapshot right after `up` of `p` converged: every container running with current labels. */
export function convergedState(p: Project, imageIds: Record<string, string>): ObservedState {
  const observed: ObservedState = { containers: [], networks: {}, volumes: {}, images: images(imageIds) };
  for (const [key, net] of Object.entries(p.networks)) {
    const labels = {
      [Label.project]: p.name,
      [Label.network]: key,
      [Label.configHash]: networkConfigHash(net),
    };
    observed.networks[net.name] = { id: `net-${key}`, name: net.name, labels };
  }
  for (const [key, vol] of Object.entries(p.volumes)) {
    observed.volumes[vol.name] = { name: vol.name, labels: { [Label.project]: p.name, [Label.volume]: key } };
  }
  for (const s of Object.values(p.services).sort((a, b) => a.name.localeCompare(b.name))) {
    const imageId = observed.images[normalizeImageRef(serviceImage(p, s))]?.id;
    for (let n = 1; n <= s.scale; n++) observed.containers.push(runningContainer(p, s, n, imageId));
  }
  return observed;
}

/** One running container of `s`, labelled as berth labels it. */
export function runningContainer(p: Project, s: Service, n: number, imageId?: string): ObservedContainer {
  const id = `${s.name}${n}`.padEnd(12, '0') + 'f'.repeat(52);
  return {
    id,
    name: desiredContainerName(p, s, n),
    state: 'running',
    status: 'Up 1 minute',
    labels: containerLabels(p, s, n, desiredIdentity(s, imageId), imageId),
    imageId: imageId ?? '',
    networks: Object.keys(s.networks).map((k) => p.networks[k].name),
    mounts: [],
    ports: [],
  };
}

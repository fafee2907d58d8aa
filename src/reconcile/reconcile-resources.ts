import { errors } from '../errors/kinds.js';
import type { Network, Service, Volume } from '../model/project.js';
import { networkConfigHash } from './config-hash.js';
import type { NetworkCreateBody, VolumeCreateBody } from './engine-bodies.js';
import { findImage, normalizeImageRef, serviceImage } from './image-ref.js';
import { COMPOSE_VERSION_LABEL, Label } from './labels.js';
import { OperationType } from './plan.js';
import type { ReconcileRun } from './reconcile-context.js';

/** Plans the pulls and builds that make every service's image available. */
export function reconcileImages(run: ReconcileRun, services: Service[]): void {
  for (const s of services) {
    const image = serviceImage(run.project, s);
    const key = normalizeImageRef(image);
    if (run.imageNodes.has(key)) continue;
    const present = findImage(run.observed, image) !== undefined;
    const policy = s.pull_policy ?? 'missing';
    if (s.build && run.options.build !== 'never') {
      const always = run.options.build === 'always' || policy === 'build';
      if (always || !present) {
        const cause = present ? 'build requested' : 'not found';
        const build = { type: OperationType.BuildImage, image, build: s.build } as const;
        run.imageNodes.set(
          key,
          run.plan.add({ ...build, resource: `image:${image}`, cause, service: s.name }),
        );
      }
      continue;
    }
    const pull = run.options.pull ?? (policy === 'if_not_present' ? 'missing' : policy);
    if (pull === 'never' || pull === 'build') {
      if (!present)
        run.plan.warnings.push(`service "${s.name}": image ${image} is not present and will not be pulled`);
      continue;
    }
    if (pull === 'always' || !present) {
      const cause = present ? 'pull always' : 'not found';
      const op = {
        type: OperationType.PullImage,
        image,
        resource: `image:${image}`,
        cause,
        service: s.name,
      } as const;
      run.imageNodes.set(key, run.plan.add(op));
    }
  }
}

/** Plans the networks the services use: created when missing, re-created when their definition changed. */
export function reconcileNetworks(run: ReconcileRun, services: Service[]): void {
  const used = [...new Set(services.flatMap((s) => Object.keys(s.networks)))].sort();
  for (const key of used) {
    const net = run.project.networks[key];
    if (!net)
      throw errors.invalid(`service refers to undefined network "${key}"`, { path: `networks.${key}` });
    const seen = run.observed.networks[net.name];
    if (net.external) {
      if (!seen) throw errors.notFound(`network ${net.name} declared as external, but could not be found`);
      continue;
    }
    const resource = `network:${net.name}`;
    const body = networkBody(run.project.name, key, net);
    if (!seen) {
      run.networkNodes.set(
        key,
        run.plan.add({ type: OperationType.CreateNetwork, body, resource, cause: 'not found' }),
      );
      continue;
    }
    const hash = seen.labels[Label.configHash];
    if (seen.labels[Label.project] !== run.project.name) {
      run.plan.warnings.push(
        `a network with name ${net.name} exists but was not created for project "${run.project.name}"`,
      );
    } else if (hash !== undefined && hash !== body.Labels[Label.configHash]) {
      // Removed and created again; the removal gains a prerequisite per container disconnected.
      const cause = 'network changed';
      const removal = run.plan.add({ type: OperationType.RemoveNetwork, name: net.name, resource, cause });
      run.networkRemovals.set(net.name, removal);
      run.networkNodes.set(
        key,
        run.plan.add({ type: OperationType.CreateNetwork, body, resource, cause }, [removal]),
      );
    }
  }
}

/** Plans the project's declared volumes: created when missing; a changed one is only reported. */
export function reconcileVolumes(run: ReconcileRun): void {
  for (const [key, vol] of Object.entries(run.project.volumes).sort(([a], [b]) => a.localeCompare(b))) {
    const seen = run.observed.volumes[vol.name];
    if (vol.external) {
      if (!seen) throw errors.notFound(`external volume "${vol.name}" not found`, { path: `volumes.${key}` });
      continue;
    }
    if (!seen) {
      const body = volumeBody(run.project.name, key, vol);
      const op = {
        type: OperationType.CreateVolume,
        body,
        resource: `volume:${vol.name}`,
        cause: 'not found',
      } as const;
      run.volumeNodes.set(key, run.plan.add(op));
    } else if (seen.labels[Label.project] !== run.project.name) {
      run.plan.warnings.push(
        `volume "${vol.name}" already exists but was not created for project "${run.project.name}"`,
      );
    }
  }
}

/** The create request for a project network, labelled with its key and config hash. */
export function networkBody(project: string, key: string, net: Network): NetworkCreateBody {
  const body: NetworkCreateBody = {
    Name: net.name,
    CheckDuplicate: true,
    Labels: {
      ...net.labels,
      [Label.project]: project,
      [Label.network]: key,
      [Label.version]: COMPOSE_VERSION_LABEL,
      [Label.configHash]: networkConfigHash(net),
    },
  };
  if (net.driver) body.Driver = net.driver;
  if (Object.keys(net.driver_opts).length) body.Options = net.driver_opts;
  if (net.ipam) body.IPAM = { Driver: net.ipam.driver, Config: net.ipam.config, Options: net.ipam.options };
  if (net.internal) body.Internal = true;
  if (net.attachable) body.Attachable = true;
  if (net.enable_ipv6) body.EnableIPv6 = true;
  return body;
}

/** The create request for a project volume. */
export function volumeBody(project: string, key: string, vol: Volume): VolumeCreateBody {
  const body: VolumeCreateBody = {
    Name: vol.name,
    Labels: {
      ...vol.labels,
      [Label.project]: project,
      [Label.volume]: key,
      [Label.version]: COMPOSE_VERSION_LABEL,
    },
  };
  if (vol.driver) body.Driver = vol.driver;
  if (Object.keys(vol.driver_opts).length) body.DriverOpts = vol.driver_opts;
  return body;
}

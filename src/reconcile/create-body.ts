import type { Service, ServiceNetwork, ServiceVolume } from '../model/project.js';
import {
  type CreateContext,
  type CreateRule,
  cpusRule,
  DIRECT_FIELDS,
  devicesRule,
  envRule,
  healthcheckRule,
  LIST_FIELDS,
  namespaceMode,
  namespacesRule,
  portsRule,
  restartRule,
  stopTimeoutRule,
  tmpfsMount,
  tmpfsRule,
} from './create-body-rules.js';
import type { ContainerCreateBody, EndpointBody, MountBody } from './engine-bodies.js';
import { type InjectedFile, inlineFiles } from './inline-files.js';

export type { CreateContext } from './create-body-rules.js';

/** A network the container joins after it is created (the Engine API takes one at create time). */
export interface ExtraNetwork {
  network: string;
  endpoint: EndpointBody;
}

/** The create request for one container of a service, and the networks to connect afterwards. */
export interface ContainerSpec {
  body: ContainerCreateBody;
  extraNetworks: ExtraNetwork[];
  /** Secrets and configs (`environment:`, `content:`) to copy in before the first start. */
  files: InjectedFile[];
}

const RULES: readonly CreateRule[] = [
  envRule,
  portsRule,
  healthcheckRule,
  restartRule,
  stopTimeoutRule,
  cpusRule,
  namespacesRule,
  tmpfsRule,
  mountsRule,
  fileRefsRule,
  devicesRule,
];

/**
 * Translates a service into the Engine API body that creates one of its containers. Pure: the
 * same service, image, labels and context always give the same body.
 */
export function serviceToContainerSpec(
  service: Service,
  image: string,
  labels: Record<string, string>,
  ctx: CreateContext,
): ContainerSpec {
  const body: ContainerCreateBody = {
    Image: image,
    Labels: { ...service.labels, ...labels },
    HostConfig: {},
  };
  if (service.command !== undefined) body.Cmd = service.command ?? [];
  if (service.entrypoint !== undefined) body.Entrypoint = service.entrypoint ?? [];
  const config = body as unknown as Record<string, unknown>;
  const host = body.HostConfig as Record<string, unknown>;
  for (const [key, where, target] of DIRECT_FIELDS) {
    const value = service[key];
    if (value !== undefined) (where === 'config' ? config : host)[target] = value;
  }
  for (const [key, target] of LIST_FIELDS) {
    const value = service[key] as string[] | undefined;
    if (value?.length) host[target] = value;
  }
  for (const rule of RULES) rule(service, body, ctx);
  return { body, extraNetworks: networksRule(service, body, ctx), files: inlineFiles(service, ctx.inline) };
}

/** Sets the network mode and first endpoint; returns the other networks to connect. */
function networksRule(s: Service, body: ContainerCreateBody, ctx: CreateContext): ExtraNetwork[] {
  if (s.network_mode) {
    body.HostConfig.NetworkMode = namespaceMode(s.network_mode, ctx);
    return [];
  }
  const ordered = Object.entries(s.networks).sort(
    ([a, x], [b, y]) => (y.priority ?? 0) - (x.priority ?? 0) || a.localeCompare(b),
  );
  const endpoints = ordered.map(([key, cfg]) => ({
    network: ctx.networkNames[key] ?? key,
    endpoint: endpointOf(s.name, cfg),
  }));
  if (!endpoints.length) return [];
  const [first, ...rest] = endpoints;
  body.HostConfig.NetworkMode = first.network;
  body.NetworkingConfig = { EndpointsConfig: { [first.network]: first.endpoint } };
  // Engines before API 1.44 take the MAC of the first network only from the container-wide
  // field; newer ones accept it there when it equals the endpoint's.
  if (ordered[0][1].mac_address) body.MacAddress = ordered[0][1].mac_address;
  return rest;
}

/** Driver option that names the container's interface on a network (`interface_name`). */
const IFNAME_OPT = 'com.docker.network.endpoint.ifname';

/** The endpoint settings of one service network: aliases, addresses, MAC, driver options, gateway priority. */
function endpointOf(serviceName: string, cfg: ServiceNetwork): EndpointBody {
  const ep: EndpointBody = { Aliases: [serviceName, ...cfg.aliases.filter((a) => a !== serviceName)] };
  if (cfg.ipv4_address || cfg.ipv6_address || cfg.link_local_ips?.length) {
    ep.IPAMConfig = { IPv4Address: cfg.ipv4_address, IPv6Address: cfg.ipv6_address };
    if (cfg.link_local_ips?.length) ep.IPAMConfig.LinkLocalIPs = [...cfg.link_local_ips];
  }
  if (cfg.mac_address) ep.MacAddress = cfg.mac_address;
  const driverOpts = {
    ...cfg.driver_opts,
    ...(cfg.interface_name ? { [IFNAME_OPT]: cfg.interface_name } : {}),
  };
  if (Object.keys(driverOpts).length) ep.DriverOpts = driverOpts;
  if (cfg.gw_priority !== undefined) ep.GwPriority = cfg.gw_priority;
  return ep;
}

function mountsRule(s: Service, body: ContainerCreateBody, ctx: CreateContext): void {
  const binds: string[] = [];
  const mounts: MountBody[] = [];
  for (const v of s.volumes) {
    if (v.type === 'bind' && v.source && v.bind?.create_host_path !== false) binds.push(bindString(v));
    else if (v.type === 'tmpfs') mounts.push(tmpfsMount(v.target, v.read_only, v.tmpfs?.size, v.tmpfs?.mode));
    else if (v.type === 'volume') mounts.push(volumeMount(v, ctx));
    else if (v.type === 'bind' || v.type === 'npipe') mounts.push(plainMount(v));
  }
  if (binds.length) body.HostConfig.Binds = [...(body.HostConfig.Binds ?? []), ...binds];
  if (mounts.length) body.HostConfig.Mounts = mounts;
}

/** `src:dst[:ro,z,rprivate]`: the Binds form makes the engine create a missing host path, as Compose does. */
function bindString(v: ServiceVolume): string {
  const opts = [v.read_only ? 'ro' : '', v.bind?.selinux ?? '', v.bind?.propagation ?? ''].filter(Boolean);
  return [v.source, v.target, ...(opts.length ? [opts.join(',')] : [])].join(':');
}

function volumeMount(v: ServiceVolume, ctx: CreateContext): MountBody {
  const source = v.source ? (ctx.volumeNames[v.source] ?? v.source) : ctx.carriedVolumes[v.target];
  const m: MountBody = { Type: 'volume', Target: v.target };
  if (source) m.Source = source;
  if (v.read_only) m.ReadOnly = true;
  if (v.volume?.nocopy || v.volume?.subpath)
    m.VolumeOptions = { NoCopy: v.volume.nocopy, Subpath: v.volume.subpath };
  return m;
}

function plainMount(v: ServiceVolume): MountBody {
  const m: MountBody = { Type: v.type as 'bind' | 'npipe', Source: v.source, Target: v.target };
  if (v.read_only) m.ReadOnly = true;
  if (v.bind?.propagation) m.BindOptions = { Propagation: v.bind.propagation };
  return m;
}

/** File-based secrets under /run/secrets and configs at their target, bound read-only. */
function fileRefsRule(s: Service, body: ContainerCreateBody, ctx: CreateContext): void {
  const binds: string[] = [];
  for (const ref of s.secrets) {
    const file = ctx.fileRefs.secrets[ref.source];
    const target = ref.target?.startsWith('/') ? ref.target : `/run/secrets/${ref.target ?? ref.source}`;
    if (file) binds.push(`${file}:${target}:ro`);
  }
  for (const ref of s.configs) {
    const file = ctx.fileRefs.configs[ref.source];
    if (file) binds.push(`${file}:${ref.target ?? `/${ref.source}`}:ro`);
  }
  if (binds.length) body.HostConfig.Binds = [...(body.HostConfig.Binds ?? []), ...binds];
}

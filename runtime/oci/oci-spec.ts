import type { ContainerConfig, HostConfig } from '../containers/api-types.js';
import type { OciDevice } from '../containers/host-devices.js';
import { invalid } from '../errors.js';
import { effectiveCapabilities } from './capabilities.js';
import {
  DEFAULT_SHM_SIZE,
  defaultDeviceRules,
  defaultMounts,
  MASKED_PATHS,
  type OciMount,
  READONLY_PATHS,
} from './linux-defaults.js';
import { cgroupResources } from './resources.js';
import { defaultSeccompProfile } from './seccomp-profile.js';
import type { ProcessUser } from './user.js';

/** A mount with its host source resolved (volumes to their mountpoints). */
export interface ResolvedMount {
  type: 'bind' | 'volume' | 'tmpfs';
  source: string;
  destination: string;
  readOnly: boolean;
  options: string[];
}

/** Everything {@link buildOciSpec} needs besides the container's Config and HostConfig. */
export interface OciSpecInput {
  id: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  /** argv (Entrypoint + Cmd after image defaults). */
  argv: string[];
  /** The full process environment. */
  env: string[];
  cwd: string;
  user: ProcessUser;
  hostname: string;
  rootfsPath: string;
  mounts: ResolvedMount[];
  /** Host paths of the per-container /etc/hosts, /etc/hostname and /etc/resolv.conf. */
  etcFiles: { hosts: string; hostname: string; resolvConf: string };
  /** A network namespace to join, `host`, or undefined for a private one (loopback only). */
  netns?: string;
  /** cgroupsPath for the runtime (`/berth/<id>` on cgroupfs). */
  cgroupsPath: string;
  /** Capabilities the engine holds (its bounding set); `ALL`/privileged never exceed them. */
  availableCapabilities?: string[];
  /** Host path of a static init (tini) to bind in as /sbin/docker-init when `Init` is set. */
  initPath?: string;
  /** The host's devices, given to a privileged container as Docker does (ignored otherwise). */
  hostDevices?: OciDevice[];
}

const SIGNAL_FREE_RLIMIT = /^[a-z]+$/;

/** The OCI runtime spec 1.0.2 config.json for a container. Pure: the same input gives the same JSON. */
export function buildOciSpec(input: OciSpecInput): Record<string, unknown> {
  const { config, hostConfig: host } = input;
  const privileged = !!host.Privileged;
  const caps = effectiveCapabilities(
    host.CapAdd ?? [],
    host.CapDrop ?? [],
    privileged,
    input.availableCapabilities,
  );
  const securityOpts = host.SecurityOpt ?? [];
  const noNewPrivileges = securityOpts.some((o) => /^no-new-privileges(?:[:=]true)?$/.test(o));
  const seccompUnconfined = securityOpts.some((o) => /^seccomp[:=]unconfined$/.test(o));
  const init = host.Init && input.initPath ? ['/sbin/docker-init', '--'] : [];
  const process: Record<string, unknown> = {
    terminal: !!config.Tty,
    user: {
      uid: input.user.uid,
      gid: input.user.gid,
      ...(input.user.additionalGids.length ? { additionalGids: input.user.additionalGids } : {}),
    },
    args: [...init, ...input.argv],
    env: input.env,
    cwd: input.cwd,
    capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [] },
    noNewPrivileges,
    rlimits: (host.Ulimits ?? []).map((u) => {
      if (!SIGNAL_FREE_RLIMIT.test(u.Name)) throw invalid(`invalid ulimit name: ${u.Name}`);
      if (u.Soft > u.Hard)
        throw invalid(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
      return { type: `RLIMIT_${u.Name.toUpperCase()}`, hard: u.Hard, soft: u.Soft };
    }),
  };
  if (config.Tty) process.consoleSize = { height: 24, width: 80 };
  const mounts: OciMount[] = [
    ...defaultMounts(host.ShmSize || DEFAULT_SHM_SIZE, privileged),
    ...etcMounts(input),
    ...input.mounts.map(toOciMount),
  ];
  if (init.length && input.initPath)
    mounts.push({
      destination: '/sbin/docker-init',
      type: 'bind',
      source: input.initPath,
      options: ['rbind', 'ro', 'nosuid', 'nodev'],
    });
  const namespaces: Array<{ type: string; path?: string }> = [
    { type: 'pid' },
    { type: 'ipc' },
    { type: 'uts' },
    { type: 'mount' },
  ];
  if (input.netns !== 'host')
    namespaces.push(input.netns ? { type: 'network', path: input.netns } : { type: 'network' });
  const linux: Record<string, unknown> = {
    namespaces,
    cgroupsPath: input.cgroupsPath,
    resources: { ...cgroupResources(host), devices: defaultDeviceRules(privileged) },
    sysctl: host.Sysctls ?? {},
  };
  if (privileged && input.hostDevices?.length) linux.devices = input.hostDevices;
  if (!privileged) {
    linux.maskedPaths = MASKED_PATHS;
    linux.readonlyPaths = READONLY_PATHS;
    if (!seccompUnconfined) linux.seccomp = defaultSeccompProfile(caps);
  }
  return {
    ociVersion: '1.0.2',
    process,
    root: { path: input.rootfsPath, readonly: !!host.ReadonlyRootfs },
    hostname: input.netns === 'host' ? undefined : input.hostname,
    mounts: sortMounts(mounts),
    linux,
  };
}

function etcMounts(input: OciSpecInput): OciMount[] {
  const ro = input.hostConfig.ReadonlyRootfs ? 'ro' : 'rw';
  const file = (destination: string, source: string): OciMount => ({
    destination,
    type: 'bind',
    source,
    options: ['rbind', 'rprivate', ro],
  });
  return [
    file('/etc/resolv.conf', input.etcFiles.resolvConf),
    file('/etc/hostname', input.etcFiles.hostname),
    file('/etc/hosts', input.etcFiles.hosts),
  ];
}

function toOciMount(m: ResolvedMount): OciMount {
  const ro = m.readOnly ? 'ro' : 'rw';
  if (m.type === 'tmpfs')
    return {
      destination: m.destination,
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'nodev', 'noexec', ro, ...m.options],
    };
  const propagation = m.options.find((o) => /^r?(private|shared|slave)$/.test(o)) ?? 'rprivate';
  return { destination: m.destination, type: 'bind', source: m.source, options: ['rbind', propagation, ro] };
}

/** Parents before children so a mount never hides one made inside it; stable otherwise. */
function sortMounts(mounts: OciMount[]): OciMount[] {
  const depth = (p: string) => p.split('/').filter(Boolean).length;
  return mounts
    .map((m, i) => ({ m, i }))
    .sort((a, b) => depth(a.m.destination) - depth(b.m.destination) || a.i - b.i)
    .map((x) => x.m);
}

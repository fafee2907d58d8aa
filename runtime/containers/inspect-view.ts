import type { ContainerRecord } from './container-record.js';
import { statusString } from './status-string.js';

/** Docker's `Mounts` entries of inspect and list. */
function mountsView(c: ContainerRecord): Array<Record<string, unknown>> {
  return c.MountPoints.map((m) => ({
    Type: m.Type,
    ...(m.Name ? { Name: m.Name } : {}),
    Source: m.Source,
    Destination: m.Destination,
    ...(m.Driver ? { Driver: m.Driver } : {}),
    Mode: m.Mode,
    RW: m.RW,
    Propagation: m.Propagation,
  }));
}

/** A Docker-shaped NetworkSettings for a container without a network provider: one empty endpoint per requested network. */
export function minimalNetworkSettings(c: ContainerRecord): Record<string, unknown> {
  const mode = c.HostConfig.NetworkMode || 'default';
  const requested = Object.keys(c.NetworkingConfig.EndpointsConfig ?? {});
  const names = requested.length
    ? requested
    : mode === 'host' || mode === 'none' || mode.startsWith('container:')
      ? [mode]
      : [mode === 'default' ? 'bridge' : mode];
  const networks: Record<string, unknown> = {};
  for (const name of names) {
    const ep = c.NetworkingConfig.EndpointsConfig?.[name];
    networks[name] = {
      IPAMConfig: ep?.IPAMConfig ?? null,
      Links: null,
      Aliases: [...(ep?.Aliases ?? []), c.Id.slice(0, 12)],
      NetworkID: '',
      EndpointID: '',
      Gateway: '',
      IPAddress: '',
      IPPrefixLen: 0,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      MacAddress: '',
      DriverOpts: null,
    };
  }
  return {
    Bridge: '',
    SandboxID: '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: {},
    SandboxKey: '',
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: '',
    Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    MacAddress: '',
    Networks: networks,
  };
}

/** `GET /containers/{id}/json` in Docker's shape. */
export function inspectView(
  c: ContainerRecord,
  networkSettings: Record<string, unknown>,
  paths: { log: string; hosts: string; hostname: string; resolvConf: string },
): Record<string, unknown> {
  const s = c.State;
  return {
    Id: c.Id,
    Created: c.Created,
    Path: c.Path,
    Args: c.Args,
    State: {
      Status: s.Status,
      Running: s.Status === 'running' || s.Status === 'paused' || s.Status === 'restarting',
      Paused: s.Status === 'paused',
      Restarting: s.Status === 'restarting',
      OOMKilled: s.OOMKilled,
      Dead: s.Status === 'dead',
      Pid: s.Pid,
      ExitCode: s.ExitCode,
      Error: s.Error,
      StartedAt: s.StartedAt,
      FinishedAt: s.FinishedAt,
      ...(s.Health ? { Health: s.Health } : {}),
    },
    Image: c.Image,
    ResolvConfPath: paths.resolvConf,
    HostnamePath: paths.hostname,
    HostsPath: paths.hosts,
    LogPath: paths.log,
    Name: c.Name,
    RestartCount: c.RestartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: { LogConfig: { Type: 'json-file', Config: {} }, ...c.HostConfig },
    GraphDriver: { Name: 'overlay2', Data: null },
    Mounts: mountsView(c),
    Config: {
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      StdinOnce: false,
      OnBuild: null,
      ...c.Config,
    },
    NetworkSettings: networkSettings,
  };
}

/** One entry of `GET /containers/json`. */
export function listView(
  c: ContainerRecord,
  networkSettings: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  const networks = (networkSettings.Networks ?? {}) as Record<string, unknown>;
  return {
    Id: c.Id,
    Names: [c.Name],
    Image: c.Config.Image ?? c.Image,
    ImageID: c.Image,
    Command: [c.Path, ...c.Args].join(' '),
    Created: Math.floor(Date.parse(c.Created) / 1000),
    Ports: portsList(
      networkSettings.Ports as Record<string, Array<{ HostIp: string; HostPort: string }> | null> | undefined,
    ),
    Labels: c.Config.Labels ?? {},
    State: c.State.Status,
    Status: statusString(
      {
        status: c.State.Status,
        exitCode: c.State.ExitCode,
        startedAt: c.State.StartedAt,
        finishedAt: c.State.FinishedAt,
        health: c.State.Health?.Status,
      },
      now,
    ),
    HostConfig: { NetworkMode: c.HostConfig.NetworkMode || 'default' },
    NetworkSettings: { Networks: networks },
    Mounts: mountsView(c),
  };
}

function portsList(ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | undefined) {
  const out: Array<Record<string, unknown>> = [];
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const [port = '0', type = 'tcp'] = key.split('/');
    if (!bindings?.length) out.push({ PrivatePort: Number(port), Type: type });
    for (const b of bindings ?? [])
      out.push({
        IP: b.HostIp || '0.0.0.0',
        PrivatePort: Number(port),
        PublicPort: Number(b.HostPort),
        Type: type,
      });
  }
  return out;
}

import type { EndpointSettings } from './networks.js';

/** A port binding on the host (`HostConfig.PortBindings["80/tcp"]`). */
export interface PortBinding {
  HostIp?: string;
  HostPort?: string;
}

/** A mount as given at create time (`HostConfig.Mounts`). */
export interface MountSpec {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean; CreateMountpoint?: boolean };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string>;
    Subpath?: string;
    DriverConfig?: { Name?: string; Options?: Record<string, string> };
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

/** A health check (`Config.Healthcheck`); durations in nanoseconds. */
export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

/** `HostConfig.RestartPolicy`. */
export interface RestartPolicy {
  Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount?: number;
}

/** Host-side settings of a container (the fields Compose sets). */
export interface HostConfig {
  Binds?: string[];
  Mounts?: MountSpec[];
  Tmpfs?: Record<string, string>;
  PortBindings?: Record<string, PortBinding[] | null>;
  PublishAllPorts?: boolean;
  NetworkMode?: string;
  RestartPolicy?: RestartPolicy;
  AutoRemove?: boolean;
  VolumesFrom?: string[];
  CapAdd?: string[];
  CapDrop?: string[];
  Dns?: string[];
  DnsOptions?: string[];
  DnsSearch?: string[];
  ExtraHosts?: string[];
  GroupAdd?: string[];
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
  UsernsMode?: string;
  Cgroup?: string;
  CgroupParent?: string;
  CgroupnsMode?: 'private' | 'host';
  Links?: string[];
  OomScoreAdj?: number;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  SecurityOpt?: string[];
  StorageOpt?: Record<string, string>;
  Sysctls?: Record<string, string>;
  Runtime?: string;
  ShmSize?: number;
  Init?: boolean;
  LogConfig?: { Type: string; Config?: Record<string, string> };
  Isolation?: string;
  // Resources
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  NanoCpus?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  Memory?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number;
  OomKillDisable?: boolean;
  PidsLimit?: number;
  BlkioWeight?: number;
  Devices?: Array<{ PathOnHost: string; PathInContainer: string; CgroupPermissions?: string }>;
  DeviceCgroupRules?: string[];
  DeviceRequests?: Array<{
    Driver?: string;
    Count?: number;
    DeviceIDs?: string[];
    Capabilities?: string[][];
    Options?: Record<string, string>;
  }>;
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }>;
}

/** The body of `POST /containers/create`: the container config plus host and network config. */
export interface ContainerCreateBody {
  Image: string;
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, Record<string, never>>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[];
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Healthcheck?: HealthConfig;
  ArgsEscaped?: boolean;
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  NetworkDisabled?: boolean;
  MacAddress?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  Shell?: string[];
  HostConfig?: HostConfig;
  NetworkingConfig?: { EndpointsConfig?: Record<string, EndpointSettings> };
  /** Platform, sent as the `platform` query parameter (e.g. `linux/amd64`). */
  platform?: string;
}

/** The answer to a container create. */
export interface ContainerCreateResponse {
  Id: string;
  Warnings: string[] | null;
}

/** A published port as listed. */
export interface PortSummary {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: 'tcp' | 'udp' | 'sctp';
}

/** A container in `GET /containers/json`. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  Ports: PortSummary[];
  Labels: Record<string, string>;
  State: ContainerStatus;
  Status: string;
  HostConfig?: { NetworkMode?: string };
  NetworkSettings?: { Networks?: Record<string, EndpointSettings> };
  Mounts?: MountPoint[];
  [field: string]: unknown;
}

/** The lifecycle state names the engine reports. */
export type ContainerStatus =
  | 'created'
  | 'running'
  | 'paused'
  | 'restarting'
  | 'removing'
  | 'exited'
  | 'dead';

/** `State` of an inspected container. */
export interface ContainerState {
  Status: ContainerStatus;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  Health?: {
    Status: 'none' | 'starting' | 'healthy' | 'unhealthy';
    FailingStreak: number;
    Log?: Array<{ Start: string; End: string; ExitCode: number; Output: string }>;
  };
}

/** A mount as the engine reports it. */
export interface MountPoint {
  Type: string;
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

/** `GET /containers/{id}/json`. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Image: string;
  RestartCount: number;
  Platform?: string;
  Config: Omit<ContainerCreateBody, 'HostConfig' | 'NetworkingConfig' | 'platform'> & {
    Labels: Record<string, string>;
  };
  HostConfig: HostConfig;
  Mounts: MountPoint[];
  NetworkSettings: {
    Ports?: Record<string, PortBinding[] | null>;
    Networks: Record<string, EndpointSettings>;
    IPAddress?: string;
    SandboxKey?: string;
  };
  [field: string]: unknown;
}

/** `POST /containers/{id}/wait`. */
export interface ContainerWaitResponse {
  StatusCode: number;
  Error?: { Message: string } | null;
}

/** `GET /containers/{id}/top`. */
export interface ContainerTop {
  Titles: string[];
  Processes: string[][];
}

/** `X-Docker-Container-Path-Stat` of an archive call. */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** The answer to a prune. */
export interface PruneResponse {
  ContainersDeleted?: string[] | null;
  NetworksDeleted?: string[] | null;
  VolumesDeleted?: string[] | null;
  ImagesDeleted?: Array<{ Untagged?: string; Deleted?: string }> | null;
  SpaceReclaimed?: number;
}

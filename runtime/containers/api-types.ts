/**
 * The Docker Engine API's container request shapes (v1.41) that berth reads. Unknown fields are
 * kept as sent (clients round-trip inspect output), so these are open records.
 */

/** `Config` of a create request / inspect. */
export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object> | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | string | null;
  Healthcheck?: HealthConfig | null;
  Image?: string;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Entrypoint?: string[] | string | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number | null;
  [key: string]: unknown;
}

/** `Healthcheck`: durations in nanoseconds. */
export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

/** One entry of `HostConfig.Mounts`. */
export interface MountSpec {
  Type: 'bind' | 'volume' | 'tmpfs' | string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string> };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

/** `HostConfig` of a create request / inspect. */
export interface HostConfig {
  Binds?: string[] | null;
  Mounts?: MountSpec[] | null;
  NetworkMode?: string;
  PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null;
  PublishAllPorts?: boolean;
  RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
  AutoRemove?: boolean;
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  CpusetCpus?: string;
  PidsLimit?: number | null;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  Init?: boolean | null;
  ExtraHosts?: string[] | null;
  Dns?: string[] | null;
  DnsSearch?: string[] | null;
  DnsOptions?: string[] | null;
  ShmSize?: number;
  Sysctls?: Record<string, string> | null;
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }> | null;
  SecurityOpt?: string[] | null;
  GroupAdd?: string[] | null;
  Tmpfs?: Record<string, string> | null;
  LogConfig?: { Type?: string; Config?: Record<string, string> };
  OomKillDisable?: boolean;
  Links?: string[] | null;
  [key: string]: unknown;
}

/** `NetworkingConfig` of a create request. */
export interface NetworkingConfig {
  EndpointsConfig?: Record<
    string,
    {
      Aliases?: string[] | null;
      IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
      [k: string]: unknown;
    }
  > | null;
}

/** The body of `POST /containers/create`. */
export interface CreateRequest extends ContainerConfig {
  HostConfig?: HostConfig;
  NetworkingConfig?: NetworkingConfig;
}

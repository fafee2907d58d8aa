import type { HealthConfig } from '../client/types/containers.js';

/**
 * The request bodies berth sends to a Docker-API engine, typed as far as berth fills them. Names
 * and shapes follow the Engine API (`POST /containers/create`, `/networks/create`,
 * `/volumes/create`); the engine may accept more.
 */
export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  Labels: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  Hostname?: string;
  Domainname?: string;
  User?: string;
  WorkingDir?: string;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
  StopSignal?: string;
  StopTimeout?: number;
  MacAddress?: string;
  Healthcheck?: HealthConfig;
  HostConfig: HostConfigBody;
  NetworkingConfig?: { EndpointsConfig: Record<string, EndpointBody> };
}

/** `HostConfig` of a container create body. */
export interface HostConfigBody {
  Binds?: string[];
  Mounts?: MountBody[];
  Tmpfs?: Record<string, string>;
  PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
  NetworkMode?: string;
  RestartPolicy?: { Name: string; MaximumRetryCount?: number };
  VolumesFrom?: string[];
  Links?: string[];
  Init?: boolean;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  ExtraHosts?: string[];
  ShmSize?: number;
  Memory?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  NanoCpus?: number;
  CpuShares?: number;
  PidsLimit?: number;
  Sysctls?: Record<string, string>;
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }>;
  IpcMode?: string;
  PidMode?: string;
  SecurityOpt?: string[];
  GroupAdd?: string[];
  LogConfig?: { Type: string; Config?: Record<string, string> };
  Devices?: Array<{ PathOnHost: string; PathInContainer: string; CgroupPermissions: string }>;
  DeviceCgroupRules?: string[];
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  CgroupnsMode?: string;
  CgroupParent?: string;
  OomKillDisable?: boolean;
  OomScoreAdj?: number;
  MemorySwappiness?: number;
  Runtime?: string;
  UsernsMode?: string;
  UTSMode?: string;
}

/** One entry of `HostConfig.Mounts`. */
export interface MountBody {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; Subpath?: string };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

/** How a container attaches to one network. */
export interface EndpointBody {
  Aliases?: string[];
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
  MacAddress?: string;
  DriverOpts?: Record<string, string>;
  /** Which network gives the default gateway (API 1.48); older engines ignore it. */
  GwPriority?: number;
}

/** `POST /networks/create`. */
export interface NetworkCreateBody {
  Name: string;
  Driver?: string;
  Options?: Record<string, string>;
  IPAM?: { Driver?: string; Config?: Array<Record<string, unknown>>; Options?: Record<string, string> };
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  Labels: Record<string, string>;
  CheckDuplicate?: boolean;
}

/** `POST /volumes/create`. */
export interface VolumeCreateBody {
  Name: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels: Record<string, string>;
}

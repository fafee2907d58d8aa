/** What `/_ping` tells about the engine. */
export interface PingResult {
  /** The newest API version the engine speaks (`Api-Version`). */
  apiVersion?: string;
  /** `linux` or `windows` (`OSType`). */
  osType?: string;
  /** `1` (classic builder) or `2` (BuildKit) (`Builder-Version`). */
  builderVersion?: string;
  /** Whether the engine runs with experimental features (`Docker-Experimental`). */
  experimental: boolean;
}

/** `GET /version`. */
export interface VersionResponse {
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  Components?: Array<{ Name: string; Version: string; Details?: Record<string, string> }>;
  [field: string]: unknown;
}

/** `GET /info` (the fields berth reads). */
export interface SystemInfo {
  ID: string;
  Name: string;
  ServerVersion: string;
  OperatingSystem: string;
  OSType: string;
  Architecture: string;
  NCPU: number;
  MemTotal: number;
  Driver: string;
  CgroupVersion?: string;
  CgroupDriver?: string;
  DockerRootDir: string;
  Containers: number;
  Images: number;
  Runtimes?: Record<string, { path: string }>;
  DefaultRuntime?: string;
  SecurityOptions?: string[];
  [field: string]: unknown;
}

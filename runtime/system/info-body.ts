import type { OciRuntimeChoice } from '../daemon/oci-runtime.js';
import { ENGINE_VERSION } from './engine-version.js';
import type { HostFacts } from './version-body.js';

/** What `/info` reports that the engine itself knows. */
export interface EngineFacts {
  id: string;
  dataRoot: string;
  containers: { running: number; paused: number; stopped: number };
  images: number;
  /** The image storage driver (`overlay2`, or `vfs` where overlayfs does not work). */
  storageDriver: string;
  runtime: Pick<OciRuntimeChoice, 'name' | 'available'>;
  cgroupVersion: '1' | '2';
  ipv4Forwarding: boolean;
  eventListeners: number;
  /** The engine's open file descriptors (`NFd`). */
  openFiles: number;
  systemTime: string;
  warnings: string[];
}

/** The `/info` body in the Docker Engine API's shape (fields the CLI, compose and docker-py read). */
export function infoBody(host: HostFacts, engine: EngineFacts) {
  const c = engine.containers;
  return {
    ID: engine.id,
    Containers: c.running + c.paused + c.stopped,
    ContainersRunning: c.running,
    ContainersPaused: c.paused,
    ContainersStopped: c.stopped,
    Images: engine.images,
    Driver: engine.storageDriver,
    DriverStatus: driverStatus(engine.storageDriver),
    Plugins: {
      Volume: ['local'],
      Network: ['bridge', 'host', 'null'],
      Authorization: null,
      Log: ['json-file'],
    },
    MemoryLimit: true,
    SwapLimit: false,
    KernelMemory: false,
    KernelMemoryTCP: false,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    OomKillDisable: engine.cgroupVersion === '1',
    IPv4Forwarding: engine.ipv4Forwarding,
    BridgeNfIptables: true,
    BridgeNfIp6tables: true,
    Debug: false,
    NFd: engine.openFiles,
    NGoroutines: 0,
    SystemTime: engine.systemTime,
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: engine.cgroupVersion,
    NEventsListener: engine.eventListeners,
    KernelVersion: host.kernelVersion,
    OperatingSystem: host.operatingSystem,
    OSVersion: '',
    OSType: 'linux',
    Architecture: host.machine,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      AllowNondistributableArtifactsCIDRs: [],
      AllowNondistributableArtifactsHostnames: [],
      InsecureRegistryCIDRs: ['127.0.0.0/8'],
      IndexConfigs: {
        'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true },
      },
      Mirrors: [],
    },
    NCPU: host.ncpu,
    MemTotal: host.memTotal,
    GenericResources: null,
    DockerRootDir: engine.dataRoot,
    HttpProxy: '',
    HttpsProxy: '',
    NoProxy: '',
    Name: host.hostname,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: ENGINE_VERSION,
    Runtimes: engine.runtime.available,
    DefaultRuntime: engine.runtime.name,
    Swarm: {
      NodeID: '',
      NodeAddr: '',
      LocalNodeState: 'inactive',
      ControlAvailable: false,
      Error: '',
      RemoteManagers: null,
    },
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: '',
    ContainerdCommit: { ID: '', Expected: '' },
    RuncCommit: { ID: '', Expected: '' },
    InitCommit: { ID: '', Expected: '' },
    SecurityOptions: ['name=seccomp,profile=default'],
    Warnings: engine.warnings,
  };
}

/** dockerd's `DriverStatus` pairs: overlay2 describes its backing filesystem, vfs reports none. */
function driverStatus(driver: string): Array<[string, string]> {
  if (driver !== 'overlay2') return [];
  return [
    ['Backing Filesystem', 'extfs'],
    ['Supports d_type', 'true'],
    ['Native Overlay Diff', 'true'],
  ];
}

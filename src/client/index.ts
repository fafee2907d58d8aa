/** berth's Docker Engine API client: the public surface. */
export type {
  ArchiveRead,
  AttachOptions,
  ContainerStreams,
  LogsOptions,
} from './api/container-streams.js';
export type { ContainersApi, KillOptions, StopOptions, WaitOptions } from './api/containers.js';
export type { ExecApi, ExecStartOptions } from './api/exec.js';
export type { ImagesApi, ImportOptions, RegistryOptions } from './api/images.js';
export type { NetworksApi } from './api/networks.js';
export type { TimeArg, WithSignal } from './api/shared.js';
export type { EventsOptions, SystemApi } from './api/system.js';
export type { VolumesApi } from './api/volumes.js';
export { EngineClient, type EngineClientOptions } from './engine-client.js';
export {
  DEFAULT_ENGINE_HOST,
  type Endpoint,
  type HostSource,
  type ResolvedHost,
  resolveHost,
} from './host.js';
export { type ImageRef, parseImageRef } from './image-ref.js';
export type { Filters } from './query.js';
export { loadRegistryAuth } from './registry-auth.js';
export type { OutputStreams } from './streams/demultiplex.js';
export type { AttachedStreams } from './streams/hijacked.js';
export { DEFAULT_TIMEOUTS, type Timeouts } from './timeouts.js';
export type * from './types/containers.js';
export type * from './types/events.js';
export type * from './types/exec.js';
export type * from './types/images.js';
export type * from './types/networks.js';
export type * from './types/system.js';
export type * from './types/volumes.js';
export { MAX_API_VERSION, MIN_API_VERSION } from './version.js';

import type { Readable } from 'node:stream';
import type { Mount } from './host/host.js';

/**
 * The seams between the engine's subsystems. Each subsystem (images, volumes, networks,
 * containers) implements its side; the composition root (runtime/engine.ts) wires them together.
 * Change this file only additively: several subsystems code against it.
 */

/** The image config as the OCI image spec / Docker stores it (the JSON whose digest is the image ID). */
export interface ImageConfigFile {
  architecture: string;
  os: string;
  created?: string;
  author?: string;
  config: ContainerImageConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: Array<{ created?: string; created_by?: string; comment?: string; empty_layer?: boolean }>;
  [key: string]: unknown;
}

/** The runnable part of an image config (Docker's capitalized keys). */
export interface ContainerImageConfig {
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object>;
  Volumes?: Record<string, object>;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Healthcheck?: {
    Test?: string[];
    Interval?: number;
    Timeout?: number;
    Retries?: number;
    StartPeriod?: number;
  };
  OnBuild?: string[];
  Shell?: string[];
}

/** An image as the rest of the engine sees it. */
export interface ImageRecord {
  /** `sha256:<64 hex>`: the digest of the config bytes. */
  id: string;
  config: ImageConfigFile;
  repoTags: string[];
  repoDigests: string[];
}

/** What containers (and the builder) need from the image subsystem. */
export interface ImageProvider {
  /** Resolves a name (`busybox` = `docker.io/library/busybox:latest`), digest, or full/short ID; throws not-found `No such image: <ref>`. */
  resolve(ref: string): Promise<ImageRecord>;
  /** Creates the container's writable layer above the image; returns the mounts (not yet applied) for its root filesystem. */
  prepareRootfs(containerId: string, imageId: string): Promise<Mount[]>;
  /** Removes the container's writable layer. Idempotent. */
  removeRootfs(containerId: string): Promise<void>;
  /** Turns the container's writable layer into a new image layer on top of `parentImageId`; returns the new image. */
  commit(
    containerId: string,
    parentImageId: string,
    config: ContainerImageConfig,
    options: { reference?: string; comment?: string; author?: string },
  ): Promise<ImageRecord>;
  /** The container's whole filesystem (image + writable layer) as a tar stream. */
  exportRootfs(containerId: string): Promise<Readable>;
  /** How many images the store holds, for `/info` (optional: `/info` reports 0 without it). */
  count?(): number;
  /** The storage driver the images live on (`overlay2`, or `vfs` without overlayfs), for `/info` `Driver`. */
  storageDriver?(): string;
  /** Disk use of the images, for `/system/df` (optional: `/system/df` reports none without it). */
  usage?(): ImageDiskUsage;
}

/** The image side of `/system/df`. */
export interface ImageDiskUsage {
  /** Bytes of every distinct layer the store holds (shared layers counted once). */
  layersSize: number;
  /** `/images/json` entries with `Containers` (users) and `SharedSize` (bytes shared with other images) filled. */
  images: Array<Record<string, unknown>>;
}

/** A named or anonymous local volume. */
export interface VolumeRecord {
  Name: string;
  Driver: 'local';
  Mountpoint: string;
  Labels: Record<string, string>;
  Options: Record<string, string>;
  Scope: 'local';
  CreatedAt: string;
}

/** What containers need from the volume subsystem. */
export interface VolumeProvider {
  /** Returns the volume, creating it (with these labels) when it does not exist. */
  ensure(name: string, labels?: Record<string, string>): Promise<VolumeRecord>;
  /** Removes a volume; `force` ignores not-found. Refuses (conflict) while a container uses it. */
  remove(name: string, force?: boolean): Promise<void>;
  /**
   * Call before a container starts with the volume: mounts a volume created with the local
   * driver's `type`/`o`/`device` options (tmpfs, bind, nfs...) and returns the host path to bind.
   * Plain volumes just return their Mountpoint. Idempotent per container. Emits Docker's
   * `volume mount` event (with `where` when given: destination, read/write, propagation).
   */
  mount?(
    name: string,
    containerId: string,
    where?: { destination: string; readWrite: boolean; propagation?: string },
  ): Promise<string>;
  /** Call when the container stops: the last user unmounts an option volume. Idempotent. */
  unmount?(name: string, containerId: string): Promise<void>;
  /**
   * Every volume with Docker's `UsageData` (`Size` in bytes, -1 when not measurable: an option
   * volume not mounted now; `RefCount`: containers using it), for `/system/df`.
   */
  usage?(): Promise<Array<VolumeRecord & { UsageData: { Size: number; RefCount: number } }>>;
}

/** What the network subsystem needs to know about a container. */
export interface ContainerNetworkView {
  id: string;
  name: string;
  hostname: string;
  domainname?: string;
  /** HostConfig.NetworkMode: `bridge`, `default`, `host`, `none`, `container:<id>`, or a network name. */
  networkMode: string;
  /** NetworkingConfig.EndpointsConfig plus later connects, by network name or ID. */
  endpoints: Record<
    string,
    { Aliases?: string[]; IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } }
  >;
  portBindings: Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
  publishAllPorts: boolean;
  exposedPorts: string[];
  extraHosts: string[];
  links: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  labels: Record<string, string>;
}

/** What the container gets from the network subsystem when it starts. */
export interface NetworkAttachment {
  /** Network namespace to join; undefined means a private namespace with loopback only. `host` mode: `"host"`. */
  netnsPath?: string | 'host';
  /** Lines for /etc/hosts after the localhost entries: [address, ...names]. */
  hosts: Array<[string, ...string[]]>;
  /** /etc/resolv.conf contents. */
  resolvConf: string;
}

/** What containers need from the network subsystem (part 2 of the engine). */
export interface NetworkProvider {
  /** Wires the container before its process starts (namespace, interfaces, ports, DNS). */
  attach(container: ContainerNetworkView): Promise<NetworkAttachment>;
  /** Undoes `attach`; idempotent, also after a crash. */
  detach(containerId: string): Promise<void>;
  /** `NetworkSettings` for inspect and `Ports` for list, for a container. */
  settings(containerId: string): Record<string, unknown>;
  /** `/containers/json` `Ports` (`[{IP, PrivatePort, PublicPort, Type}]`) for a container. */
  ports?(containerId: string): Array<Record<string, unknown>>;
}

/** What images and networks need to know about containers. */
export interface ContainerRegistry {
  /** Image IDs used by any container (images in use cannot be removed without force). */
  imagesInUse(): Set<string>;
  /** Names of volumes mounted by any container. */
  volumesInUse(): Set<string>;
  /** Resolves a container name or (short) ID to its full ID, or undefined. */
  lookup(ref: string): string | undefined;
  /**
   * The network view of a container (created or running), for connect/disconnect and network
   * settings of containers that are not attached (optional until containers implement it).
   */
  containerView?(id: string): ContainerNetworkView | undefined;
  /** The container's /etc/hosts file on the host, so connect/disconnect of a running container can rewrite it. */
  etcHostsPath?(id: string): string | undefined;
  /**
   * Containers whose image is `imageId` and whether they run, so image removal answers Docker's
   * exact conflicts (optional: without it, `imagesInUse` is used and every user counts as stopped).
   */
  imageUsers?(imageId: string): Array<{ id: string; running: boolean }>;
  /** Containers by state, for `/info` (optional: `/info` reports zeros without it). */
  stateCounts?(): { running: number; paused: number; stopped: number };
  /** How many containers (running or not) mount each volume, by name, for `/system/df` `RefCount`. */
  volumeRefCounts?(): Map<string, number>;
  /**
   * `/containers/json?all=1&size=1` entries (with `SizeRw` and `SizeRootFs`), for `/system/df`
   * (optional: `/system/df` lists no containers without it).
   */
  diskUsage?(): Promise<Array<Record<string, unknown>>>;
}

/**
 * Every subsystem (images, volumes, containers, networks, system) has this shape, so the
 * composition root (runtime/engine.ts) can start it, collect its endpoints and stop it.
 */
export interface Subsystem {
  /** Loads state from the data root and repairs what a crash left behind. */
  init(): Promise<void>;
  /** The API endpoints this subsystem serves. */
  routes(): import('./api/route.js').Route[];
  /** Releases what the engine holds (not the containers: they outlive the engine). */
  shutdown(): Promise<void>;
}

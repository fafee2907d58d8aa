/** An image in `GET /images/json`. */
export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  Labels: Record<string, string> | null;
  Containers: number;
  [field: string]: unknown;
}

/** `GET /images/{name}/json`. */
export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Created: string;
  Architecture: string;
  Os: string;
  Variant?: string;
  Size: number;
  Author?: string;
  Config: {
    Env?: string[] | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    WorkingDir?: string;
    User?: string;
    ExposedPorts?: Record<string, object> | null;
    Volumes?: Record<string, object> | null;
    Labels?: Record<string, string> | null;
    StopSignal?: string;
    Healthcheck?: {
      Test?: string[];
      Interval?: number;
      Timeout?: number;
      Retries?: number;
      StartPeriod?: number;
    };
    Shell?: string[];
  };
  RootFS: { Type: string; Layers?: string[] };
  [field: string]: unknown;
}

/** One entry of `GET /images/{name}/history`. */
export interface ImageHistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** One entry of an image remove's answer. */
export interface ImageDeleteEntry {
  Untagged?: string;
  Deleted?: string;
}

/** Registry credentials, sent base64url-encoded as `X-Registry-Auth`. */
export interface RegistryAuth {
  /** The account name. */
  username?: string;
  /** Its password (or a personal access token). */
  password?: string;
  /** An identity token (OAuth refresh token) instead of a password. */
  identitytoken?: string;
  /** A bearer token for the registry itself. */
  registrytoken?: string;
  /** The registry the credentials are for (`https://index.docker.io/v1/` for the Docker Hub). */
  serveraddress?: string;
  /** Legacy; ignored by current engines. */
  email?: string;
}

/** Options of `images.build`. */
export interface BuildOptions {
  /** The Dockerfile, relative to the context (default `Dockerfile`), or a path outside it. */
  dockerfile?: string;
  /** The Dockerfile's text (Compose `dockerfile_inline`); wins over `dockerfile`. */
  dockerfileInline?: string;
  /** Tags for the result (`t`, repeatable). */
  t?: string | string[];
  /** `ARG` values. */
  buildargs?: Record<string, string>;
  /** The stage of a multi-stage Dockerfile to stop at. */
  target?: string;
  /** Labels added to the result. */
  labels?: Record<string, string>;
  /** Do not use the build cache. */
  nocache?: boolean;
  /** Always attempt to pull a newer base image. */
  pull?: boolean;
  /** Remove intermediate containers (default true). */
  rm?: boolean;
  /** Remove intermediate containers even when a step fails. */
  forcerm?: boolean;
  /** `os/arch[/variant]` to build for. */
  platform?: string;
  /** The network `RUN` steps use (`default`, `host`, `none`, a network name). */
  networkmode?: string;
  /** `host:ip` entries added to the steps' /etc/hosts. */
  extrahosts?: string[];
  /** /dev/shm size of the steps, in bytes. */
  shmsize?: number;
  /** Images to take cache layers from. */
  cachefrom?: string[];
  /** Credentials per registry for the base images (`X-Registry-Config`); default: the Docker config file's. */
  registryConfig?: Record<string, RegistryAuth>;
  /** Aborts the build (and closes its connection). */
  signal?: AbortSignal;
}

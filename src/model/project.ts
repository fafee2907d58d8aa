/**
 * The normalized model of a stack: what the loader produces and the planner consumes.
 *
 * Keys keep the Compose specification's names (snake_case), so the model serializes back to a
 * valid Compose file (`berth config` output re-loads to the same model). Every field is in its
 * canonical long form: ports and volumes as objects, environment and labels as maps, commands as
 * argument arrays, durations in nanoseconds and sizes in bytes (rendered back to Compose strings
 * by `berth config`). Optional fields are absent when the file did not set them.
 */
export interface Project {
  /** The project name, normalized as Compose does. */
  name: string;
  /** Absolute project directory; relative paths in the files are resolved against it. */
  working_dir: string;
  /** Absolute paths of the files that were loaded, in order (`-` for stdin). */
  config_files: string[];
  /** The variables used for interpolation, after `.env`/`--env-file` and the process environment. */
  environment: Record<string, string>;
  /** Active services, by name. */
  services: Record<string, Service>;
  /** Services defined but not active under the selected profiles. */
  disabled_services: Record<string, Service>;
  networks: Record<string, Network>;
  volumes: Record<string, Volume>;
  secrets: Record<string, SecretOrConfig>;
  configs: Record<string, SecretOrConfig>;
  /** Top-level `models` (AI models), as written; berth passes them through. */
  models?: Record<string, unknown>;
  /** Top-level `x-*` keys, untouched. */
  extensions: Record<string, unknown>;
}

/** Nanoseconds (Docker's unit for durations in the Engine API). */
export type Nanoseconds = number;
/** A size in bytes. */
export type Bytes = number;

/** One service, canonical. Fields the Compose spec defines but berth passes through opaquely are typed `unknown`. */
export interface Service {
  name: string;
  image?: string;
  build?: BuildConfig;
  /** null means explicitly reset to the image default. */
  command?: string[] | null;
  entrypoint?: string[] | null;
  /** A null value means "take it from the process environment at run time, if set". */
  environment: Record<string, string | null>;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  ports: ServicePort[];
  expose: string[];
  volumes: ServiceVolume[];
  volumes_from: string[];
  tmpfs: string[];
  /** Networks the service joins; empty when `network_mode` is set. */
  networks: Record<string, ServiceNetwork>;
  network_mode?: string;
  depends_on: Record<string, DependsOn>;
  links: string[];
  external_links: string[];
  healthcheck?: Healthcheck;
  /** `no`, `always`, `on-failure[:N]`, `unless-stopped`. */
  restart?: string;
  /** Number of containers: `scale`, else `deploy.replicas`, else 1. */
  scale: number;
  profiles: string[];
  container_name?: string;
  hostname?: string;
  domainname?: string;
  user?: string;
  working_dir?: string;
  stdin_open?: boolean;
  tty?: boolean;
  init?: boolean;
  privileged?: boolean;
  read_only?: boolean;
  cap_add: string[];
  cap_drop: string[];
  dns: string[];
  dns_search: string[];
  dns_opt: string[];
  /** `host:ip` entries, in file order. */
  extra_hosts: string[];
  stop_signal?: string;
  stop_grace_period?: Nanoseconds;
  shm_size?: Bytes;
  mem_limit?: Bytes;
  mem_reservation?: Bytes;
  memswap_limit?: Bytes;
  cpus?: number;
  cpu_shares?: number;
  pids_limit?: number;
  cpu_period?: number;
  cpu_quota?: number;
  cpuset?: string;
  cgroup?: 'host' | 'private';
  cgroup_parent?: string;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  mem_swappiness?: number;
  mac_address?: string;
  runtime?: string;
  userns_mode?: string;
  uts?: string;
  device_cgroup_rules?: string[];
  sysctls: Record<string, string>;
  ulimits: Record<string, { soft: number; hard: number }>;
  ipc?: string;
  pid?: string;
  security_opt: string[];
  group_add: string[];
  devices: unknown[];
  secrets: ServiceFileRef[];
  configs: ServiceFileRef[];
  logging?: { driver?: string; options?: Record<string, string> };
  /** `always`, `never`, `missing`, `build`, `if_not_present`, or a daily/weekly schedule. */
  pull_policy?: string;
  platform?: string;
  /** The deploy section as written (replicas is folded into `scale`). */
  deploy?: Record<string, unknown>;
  /** `x-*` keys and attributes berth does not interpret, kept for `berth config`. */
  extensions: Record<string, unknown>;
}

/** `build:` in long form; `context` is an absolute path or a URL. */
export interface BuildConfig {
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args: Record<string, string | null>;
  target?: string;
  labels: Record<string, string>;
  cache_from: string[];
  no_cache?: boolean;
  pull?: boolean;
  network?: string;
  shm_size?: Bytes;
  extra_hosts: string[];
  tags: string[];
  platforms: string[];
  /** Build attributes berth passes through as written (`ssh`, `secrets`, `additional_contexts`...) and `x-*` keys. */
  extensions?: Record<string, unknown>;
}

/** A published or exposed port, Compose long syntax. One entry per port (ranges are expanded). */
export interface ServicePort {
  target: number;
  /** Host port or host range as a string (`"8080"`, `"8000-8010"`); absent means ephemeral. */
  published?: string;
  host_ip?: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  mode: 'ingress' | 'host';
  name?: string;
  app_protocol?: string;
}

/** A mount, Compose long syntax. Bind sources are absolute; anonymous volumes have no source. */
export interface ServiceVolume {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: 'z' | 'Z' };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: Bytes; mode?: number };
}

/** How a service attaches to one network. */
export interface ServiceNetwork {
  aliases: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  priority?: number;
  gw_priority?: number;
  mac_address?: string;
  interface_name?: string;
  link_local_ips?: string[];
  driver_opts?: Record<string, string>;
}

/** One `depends_on` entry, long form. */
export interface DependsOn {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  /** When false, a missing or disabled dependency is only a warning. */
  required: boolean;
  /** When true, the dependent is restarted when this dependency is recreated or restarted. */
  restart: boolean;
}

/** A health check; `test` is the Engine API form (`["CMD", ...]`, `["CMD-SHELL", cmd]`, `["NONE"]`). */
export interface Healthcheck {
  test?: string[];
  interval?: Nanoseconds;
  timeout?: Nanoseconds;
  retries?: number;
  start_period?: Nanoseconds;
  start_interval?: Nanoseconds;
  disable?: boolean;
}

/** A top-level network. `name` is the engine-side name (`<project>_<key>` unless set). */
export interface Network {
  name: string;
  driver?: string;
  driver_opts: Record<string, string>;
  ipam?: { driver?: string; config: Array<Record<string, unknown>>; options?: Record<string, string> };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv4?: boolean;
  enable_ipv6?: boolean;
  labels: Record<string, string>;
  extensions: Record<string, unknown>;
}

/** A top-level volume. `name` is the engine-side name (`<project>_<key>` unless set). */
export interface Volume {
  name: string;
  driver?: string;
  driver_opts: Record<string, string>;
  external?: boolean;
  labels: Record<string, string>;
  extensions: Record<string, unknown>;
}

/** A top-level secret or config. */
export interface SecretOrConfig {
  name: string;
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  labels: Record<string, string>;
}

/** A service's reference to a secret or config, long form. */
export interface ServiceFileRef {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

import type { EventBus } from './events/event-bus.js';
import type { Host } from './host/host.js';

/** What every engine subsystem is constructed with. Clock and host are injected for tests. */
export interface EngineContext {
  /** The data root (`/var/lib/berth` by default, 0700). Each subsystem keeps its state below it. */
  dataRoot: string;
  /** Where the engine keeps runtime files that do not survive a reboot (pid files, sockets). */
  runRoot: string;
  host: Host;
  events: EventBus;
  /** Milliseconds since the epoch. */
  now(): number;
  /** The engine's own log (its logs file when daemonized). Never logs secrets. */
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
  /** Test mode knobs, e.g. DNS forwarding off. */
  options: EngineOptions;
}

/** Engine-wide options from flags and environment. */
export interface EngineOptions {
  /** Path of the OCI runtime binary (crun preferred, else runc). */
  ociRuntime?: string;
  /** Forward container DNS queries for unknown names to the host's resolvers (off in tests). */
  dnsForwarding: boolean;
  /** Address pools for new networks (CIDR with a size), as Docker's default-address-pools. */
  addressPools?: Array<{ base: string; size: number }>;
  /** Name of the default `bridge` network's Linux bridge (`berth0`; tests give each engine its own). */
  bridgeName?: string;
  /** Subnet of the default bridge network (CIDR); allocated from the pools when absent. */
  bridgeSubnet?: string;
  /** Path of the netavark binary (found in podman's libexec directories, else on PATH, when absent). */
  netavarkPath?: string;
  /** Registries spoken to over plain HTTP (`host`, `host:port` or a CIDR), as dockerd's `--insecure-registry`. */
  insecureRegistries?: string[];
}

import { ContainersApi } from './api/containers.js';
import { ExecApi } from './api/exec.js';
import { ImagesApi } from './api/images.js';
import { NetworksApi } from './api/networks.js';
import { SystemApi } from './api/system.js';
import { VolumesApi } from './api/volumes.js';
import { type ResolvedHost, resolveHost } from './host.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from './timeouts.js';
import { Transport } from './transport.js';

/** Options of {@link EngineClient}. */
export interface EngineClientOptions {
  /** `unix:///path`, `tcp://host:port`; default `BERTH_HOST`, `DOCKER_HOST`, then the embedded engine. */
  host?: string;
  /** Per-call-kind timeouts in ms (0 = none); unset kinds keep their defaults. */
  timeouts?: Partial<Timeouts>;
  /** Use this API version instead of negotiating one (default `DOCKER_API_VERSION`, as the docker CLI). */
  apiVersion?: string;
  /** The environment to read `BERTH_HOST`/`DOCKER_HOST`/TLS settings from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/**
 * berth's Docker Engine API client: one typed surface over any engine that speaks the API
 * (berth's embedded engine, a Docker daemon, Podman's service). Calls negotiate the API version
 * on first use; failures are BerthErrors with the endpoint in their context.
 */
export class EngineClient {
  /** The host in use and where it came from. */
  readonly host: ResolvedHost;
  /** ping, version, info, events. */
  readonly system: SystemApi;
  /** Container lifecycle, logs, attach, archives, prune. */
  readonly containers: ContainersApi;
  /** Commands run inside running containers. */
  readonly exec: ExecApi;
  /** Images: list, pull, push, tag, build, load, save, history, prune. */
  readonly images: ImagesApi;
  /** Networks and container attachments. */
  readonly networks: NetworksApi;
  /** Named and anonymous volumes. */
  readonly volumes: VolumesApi;
  private readonly transport: Transport;

  /** Resolves the host (throws `invalid` for an unusable one) and reads TLS files; connects lazily. */
  constructor(options: EngineClientOptions = {}) {
    const env = options.env ?? process.env;
    this.host = resolveHost({ host: options.host }, env);
    const apiVersion = options.apiVersion ?? (env.DOCKER_API_VERSION || undefined);
    this.transport = new Transport(this.host, { ...DEFAULT_TIMEOUTS, ...options.timeouts }, apiVersion);
    this.system = new SystemApi(this.transport);
    this.containers = new ContainersApi(this.transport);
    this.exec = new ExecApi(this.transport);
    this.images = new ImagesApi(this.transport);
    this.networks = new NetworksApi(this.transport);
    this.volumes = new VolumesApi(this.transport);
  }

  /** The API version in use, negotiating it with the engine when not yet known. */
  apiVersion(opts: { signal?: AbortSignal } = {}): Promise<string> {
    return this.transport.apiVersion(opts.signal);
  }

  /** Closes idle pooled connections so the process can exit; further calls open new ones. */
  close(): void {
    this.transport.close();
  }
}

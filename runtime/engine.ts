import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Route } from './api/route.js';
import { BuildService } from './build/build-service.js';
import { ContainerService } from './containers/container-service.js';
import type { EngineContext, EngineOptions } from './context.js';
import type { ContainerRegistry, Subsystem } from './contracts.js';
import { type EngineLog, type LogLevel, openEngineLog } from './daemon/engine-log.js';
import { detectOciRuntime } from './daemon/oci-runtime.js';
import { acquirePidLock } from './daemon/pid-lock.js';
import { EventBus } from './events/event-bus.js';
import { EventsService } from './events/events-service.js';
import type { Host } from './host/host.js';
import { LinuxHost } from './host/linux-host.js';
import { ImageService } from './images/image-service.js';
import { engineLogPath, enginePidPath } from './locations.js';
import { NetworkService } from './network/network-service.js';
import { builderPull } from './registry/build-pull.js';
import { RegistryService } from './registry/registry-service.js';
import { type ApiServer, createApiServer } from './server/http-server.js';
import { socketPathOf } from './server/unix-socket.js';
import { SystemService } from './system/system-service.js';
import { VolumeService } from './volumes/volume-service.js';

/** How an engine is configured (flags of `berth engine run` and runtime/main.ts). */
export interface EngineConfig {
  /** The data root; created 0700. */
  dataRoot: string;
  /** `unix:///path/engine.sock`. */
  host: string;
  /** Runtime files (pid files of containers' monitors); defaults to `<dataRoot>/run`. */
  runRoot?: string;
  /** `crun`, `runc` or a path; detected when absent. */
  ociRuntime?: string;
  dnsForwarding?: boolean;
  logLevel?: LogLevel;
  /** Also write the log to stderr (foreground runs). */
  logToStderr?: boolean;
  /** Further engine options (e.g. the network subsystem's), passed through to the context. */
  engineOptions?: Partial<EngineOptions>;
  /** Injected for tests; LinuxHost otherwise. */
  hostImpl?: Host;
}

/** A running (or startable) engine: the composition root's product. */
export interface Engine {
  readonly ctx: EngineContext;
  /** Every route of every subsystem (after `start`). */
  readonly routes: Route[];
  /** Takes the data root's lock, loads every subsystem, then listens on the socket. */
  start(): Promise<void>;
  /** Stops listening and shuts the subsystems down; containers keep running. */
  stop(): Promise<void>;
}

/**
 * The composition root: builds the context and the subsystems and wires them together.
 * Containers and networks reference each other, and images/volumes ask containers what is in
 * use, so the registry they get is a late-bound view filled in once containers exist.
 */
export function createEngine(config: EngineConfig): Engine {
  const routes: Route[] = [];
  const subsystems: Subsystem[] = [];
  let log: EngineLog | undefined;
  let server: ApiServer | undefined;
  let release: (() => Promise<void>) | undefined;
  const options: EngineOptions = {
    ...config.engineOptions,
    dnsForwarding: config.dnsForwarding ?? true,
    ociRuntime: config.ociRuntime,
  };
  const ctx: EngineContext = {
    dataRoot: config.dataRoot,
    runRoot: config.runRoot ?? join(config.dataRoot, 'run'),
    host: config.hostImpl ?? new LinuxHost(),
    events: new EventBus(),
    now: Date.now,
    log: (level, message, fields) => log?.log(level, message, fields),
    options,
  };

  let containers: ContainerRegistry | undefined;
  const containerView: ContainerRegistry = {
    imagesInUse: () => containers?.imagesInUse() ?? new Set(),
    volumesInUse: () => containers?.volumesInUse() ?? new Set(),
    lookup: (ref) => containers?.lookup(ref),
    imageUsers: (id) => containers?.imageUsers?.(id) ?? [],
    stateCounts: () => containers?.stateCounts?.() ?? { running: 0, paused: 0, stopped: 0 },
    volumeRefCounts: () => containers?.volumeRefCounts?.() ?? new Map(),
    diskUsage: async () => (await containers?.diskUsage?.()) ?? [],
    containerView: (id) => containers?.containerView?.(id),
    etcHostsPath: (id) => containers?.etcHostsPath?.(id),
  };
  /** The network subsystem, once wired (containers reach it lazily: they are wired first). */
  let networks: NetworkService | undefined;

  async function wire(): Promise<void> {
    const runtime = await detectOciRuntime(ctx.host, config.ociRuntime);
    options.ociRuntime = runtime.path;
    for (const note of runtime.notes) ctx.log('warn', note);
    ctx.log('info', 'OCI runtime chosen', {
      runtime: runtime.name,
      path: runtime.path,
      version: runtime.version,
    });
    const events = new EventsService(ctx);
    const images = new ImageService(ctx, { containers: containerView });
    subsystems.push(images, new RegistryService(images));
    const volumes = new VolumeService(ctx, { containers: containerView });
    subsystems.push(events, volumes);
    networks = new NetworkService(ctx, { containers: containerView });
    subsystems.push(networks);
    // Containers load last: recovery may re-attach networks and mount volumes and images.
    const containerService = new ContainerService(ctx, { images, volumes, networks: () => networks });
    containers = containerService;
    subsystems.push(containerService);
    subsystems.push(
      new BuildService(ctx, { images, pull: builderPull(images), containers: () => containerService }),
    );
    subsystems.push(
      new SystemService(ctx, {
        runtime,
        containers: containerView,
        images,
        volumes,
        eventListeners: () => events.listenerCount(),
      }),
    );
  }

  return {
    ctx,
    routes,
    async start() {
      await mkdir(config.dataRoot, { recursive: true, mode: 0o700 });
      await chmod(config.dataRoot, 0o700);
      await mkdir(ctx.runRoot, { recursive: true, mode: 0o700 });
      release = await acquirePidLock(enginePidPath(config.dataRoot));
      try {
        log = openEngineLog(engineLogPath(config.dataRoot), {
          level: config.logLevel,
          echo: config.logToStderr,
        });
        await wire();
        for (const s of subsystems) await s.init();
        for (const s of subsystems) routes.push(...s.routes());
        server = createApiServer(routes, (level, message, fields) => ctx.log(level, message, fields));
        await server.listen(socketPathOf(config.host));
        ctx.log('info', 'engine listening', {
          host: config.host,
          dataRoot: config.dataRoot,
          pid: process.pid,
        });
      } catch (err) {
        await this.stop();
        throw err;
      }
    },
    async stop() {
      await server?.close();
      server = undefined;
      for (const s of [...subsystems].reverse()) {
        await s
          .shutdown()
          .catch((err) => ctx.log('error', 'subsystem shutdown failed', { error: String(err) }));
      }
      subsystems.length = 0;
      ctx.log('info', 'engine stopped');
      await log?.close();
      log = undefined;
      await release?.();
      release = undefined;
    },
  };
}

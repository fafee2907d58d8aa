import { readdir } from 'node:fs/promises';
import type { ApiRequest, ApiResponse, Route } from '../api/route.js';
import type { EngineContext } from '../context.js';
import type { ContainerRegistry, ImageProvider, Subsystem, VolumeProvider } from '../contracts.js';
import type { OciRuntimeChoice } from '../daemon/oci-runtime.js';
import { PING_HEADERS } from '../server/headers.js';
import { diskUsageBody } from './disk-usage-body.js';
import { cgroupVersion, engineId, ipv4Forwarding, readHostFacts } from './host-facts.js';
import { infoBody } from './info-body.js';
import { type HostFacts, versionBody } from './version-body.js';

/** What the system endpoints read from the rest of the engine. */
export interface SystemDeps {
  runtime: OciRuntimeChoice;
  containers?: ContainerRegistry;
  images?: ImageProvider;
  volumes?: VolumeProvider;
  /** How many clients follow `/events` right now. */
  eventListeners?: () => number;
}

/** `/_ping`, `/version`, `/info` and `/system/df`. */
export class SystemService implements Subsystem {
  private facts?: HostFacts;
  private id = '';

  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: SystemDeps,
  ) {}

  async init(): Promise<void> {
    this.facts = await readHostFacts();
    this.id = await engineId(this.ctx.dataRoot);
  }

  routes(): Route[] {
    const ping = (req: ApiRequest, res: ApiResponse) => {
      const s = res.stream(200, 'text/plain; charset=utf-8', { ...PING_HEADERS, 'Content-Length': '2' });
      s.end(req.method === 'HEAD' ? undefined : 'OK');
    };
    return [
      { method: 'GET', path: '/_ping', handler: ping },
      { method: 'HEAD', path: '/_ping', handler: ping },
      {
        method: 'GET',
        path: '/version',
        handler: (_req, res) => res.json(200, versionBody(this.host(), this.deps.runtime)),
      },
      { method: 'GET', path: '/info', handler: async (_req, res) => res.json(200, await this.info()) },
      {
        method: 'GET',
        path: '/system/df',
        handler: async (_req, res) => res.json(200, await this.diskUsage()),
      },
    ];
  }

  async shutdown(): Promise<void> {}

  private host(): HostFacts {
    if (!this.facts) throw new Error('SystemService used before init()');
    return this.facts;
  }

  private async diskUsage() {
    return diskUsageBody(
      this.deps.images?.usage?.(),
      (await this.deps.containers?.diskUsage?.()) ?? [],
      (await this.deps.volumes?.usage?.()) ?? [],
    );
  }

  private async info() {
    const counts = this.deps.containers?.stateCounts?.() ?? { running: 0, paused: 0, stopped: 0 };
    return infoBody(this.host(), {
      id: this.id,
      dataRoot: this.ctx.dataRoot,
      containers: counts,
      images: this.deps.images?.count?.() ?? 0,
      storageDriver: this.deps.images?.storageDriver?.() ?? 'overlay2',
      runtime: this.deps.runtime,
      cgroupVersion: await cgroupVersion(),
      ipv4Forwarding: await ipv4Forwarding(),
      eventListeners: this.deps.eventListeners?.() ?? 0,
      openFiles: (await readdir('/proc/self/fd').catch(() => [])).length,
      systemTime: new Date(this.ctx.now()).toISOString(),
      warnings: this.deps.runtime.notes,
    });
  }
}

import { join } from 'node:path';
import type { EngineContext } from '../../../../runtime/context.js';
import { EventBus } from '../../../../runtime/events/event-bus.js';
import { LinuxHost } from '../../../../runtime/host/linux-host.js';
import { ImageService } from '../../../../runtime/images/image-service.js';

/** Containers as the image subsystem sees them when there are none. */
const noContainers = {
  imagesInUse: () => new Set<string>(),
  volumesInUse: () => new Set<string>(),
  lookup: () => undefined,
};

/** An initialised image subsystem on its own data root `dir`, in-process (no daemon). */
export async function imageServiceAt(dir: string): Promise<ImageService> {
  const ctx: EngineContext = {
    dataRoot: dir,
    runRoot: join(dir, 'run'),
    host: new LinuxHost(),
    events: new EventBus(),
    now: Date.now,
    log: () => undefined,
    options: { dnsForwarding: false },
  };
  const images = new ImageService(ctx, { containers: noContainers });
  await images.init();
  return images;
}

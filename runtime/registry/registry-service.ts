import type { Route } from '../api/route.js';
import type { Subsystem } from '../contracts.js';
import type { ImageService } from '../images/image-service.js';
import { parseReference, withDefaultTag } from '../images/reference.js';
import { DistributionClient } from './distribution-client.js';
import { registryEndpoint } from './endpoint.js';
import { login } from './login.js';
import { parseManifest } from './manifest.js';
import { pushImage } from './push.js';
import { decodeRegistryAuth } from './registry-auth.js';

/**
 * The registry side of the engine: `POST /images/{name}/push`, `GET /distribution/{name}/json` and
 * `POST /auth`.
 * (Pulls answer `POST /images/create?fromImage=`, which the image subsystem routes to pull.ts.)
 */
export class RegistryService implements Subsystem {
  constructor(private readonly images: ImageService) {}

  async init(): Promise<void> {}

  async shutdown(): Promise<void> {}

  routes(): Route[] {
    return [
      {
        method: 'POST',
        path: '/auth',
        handler: (req, res) => login(this.images.ctx.options.insecureRegistries ?? [], req, res),
      },
      {
        method: 'POST',
        path: '/images/{name*}/push',
        handler: (req, res) => pushImage(this.images, req, res),
      },
      {
        method: 'GET',
        path: '/distribution/{name*}/json',
        handler: async (req, res) => {
          const ref = withDefaultTag(parseReference(req.params.name ?? ''));
          const endpoint = registryEndpoint(ref.domain, this.images.ctx.options.insecureRegistries);
          const credentials = decodeRegistryAuth(req.headers['x-registry-auth']);
          const client = new DistributionClient(endpoint, ref.path, credentials, ['pull']);
          const fetched = await client.getManifest(ref.digest ?? (ref.tag as string));
          const parsed = parseManifest(fetched.bytes, fetched.contentType);
          const platforms =
            parsed.kind === 'index' ? parsed.manifests.flatMap((m) => (m.platform ? [m.platform] : [])) : [];
          res.json(200, {
            Descriptor: { mediaType: parsed.mediaType, digest: fetched.digest, size: fetched.bytes.length },
            Platforms: platforms,
          });
        },
      },
    ];
  }
}

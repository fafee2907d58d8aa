import type { PullImage } from '../build/build-state.js';
import type { ImageService } from '../images/image-service.js';
import { parseReference } from '../images/reference.js';
import { pullToStore } from './pull.js';
import { credentialsFor } from './registry-auth.js';

/**
 * The builder's puller: `FROM` of an image not in the store, and every `FROM` with `pull=1`.
 * Credentials come from the build's `X-Registry-Config`, picked by the image's registry; Docker's
 * pull progress is passed to the build output as the classic builder does.
 */
export function builderPull(images: ImageService): PullImage {
  return async (ref, progress, options) => {
    const { domain } = parseReference(ref);
    const id = await pullToStore(
      images,
      ref,
      { credentials: credentialsFor(options.registryConfig, domain), signal: options.signal },
      (message) => progress({ ...message }),
    );
    return images.store.record(id);
  };
}

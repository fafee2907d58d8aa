/** The Docker Hub's registry name. */
export const DOCKER_HUB = 'docker.io';
/** The key `docker login` stores the Docker Hub's credentials under in `config.json`. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

/** An image reference split the way the Engine API wants it. */
export interface ImageRef {
  /** The registry host (`docker.io` when none is named). */
  registry: string;
  /** Everything before the tag or digest, as written (`localhost:5000/app`, `busybox`). */
  repository: string;
  /** The tag, when one is written (`latest` is not assumed here). */
  tag?: string;
  /** The digest after `@` (`sha256:…`), when one is written. */
  digest?: string;
}

/**
 * Splits `[registry/]path[:tag][@digest]`. The first component is a registry when it contains
 * `.` or `:` or is `localhost` (Docker's rule).
 */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const registry =
    first && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : DOCKER_HUB;
  return { registry, repository: rest, tag, digest };
}

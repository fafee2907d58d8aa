import { invalid } from '../errors.js';

/** A reference normalized as Docker does: `busybox` → `docker.io/library/busybox:latest`. */
export interface ImageReference {
  /** `docker.io`, `localhost:5000`, `registry.example.com`. */
  domain: string;
  /** `library/busybox`, `user/app`. */
  path: string;
  tag?: string;
  /** `sha256:<hex>`. */
  digest?: string;
}

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DOMAIN = 'index.docker.io';
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}';
const PATH_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const TAG_RE = new RegExp(`^${TAG}$`);
const DIGEST_RE = new RegExp(`^${DIGEST}$`);
const MAX_NAME = 255;

const bad = (input: string, why = '') =>
  invalid(`invalid reference format${why ? `: ${why}` : ''}: ${JSON.stringify(input.slice(0, 300))}`);

/**
 * Parses and normalizes a reference the way Docker's `ParseNormalizedNamed` does. The tag is
 * left undefined when absent (see {@link withDefaultTag}). A bare 64-hex string is refused as a
 * name, as Docker refuses it.
 */
export function parseReference(input: string): ImageReference {
  if (/^[a-f0-9]{64}$/.test(input)) {
    throw invalid(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  }
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) throw bad(input);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw bad(input);
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const hasDomain =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  let domain = hasDomain ? first : DEFAULT_DOMAIN;
  let path = hasDomain ? rest.slice(slash + 1) : rest;
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  if (path !== path.toLowerCase()) throw bad(input, 'repository name must be lowercase');
  if (!DOMAIN_RE.test(domain) || !PATH_RE.test(path)) throw bad(input);
  if (domain.length + 1 + path.length > MAX_NAME)
    throw bad(input, `repository name must not be more than ${MAX_NAME} characters`);
  return { domain, path, tag, digest };
}

/** Adds `latest` when a reference has neither tag nor digest (Docker's `TagNameOnly`). */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag || ref.digest ? ref : { ...ref, tag: 'latest' };
}

/** `docker.io/library/busybox`. */
export function fullName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** `busybox`, `user/app`, `localhost:5000/app`: the name as Docker shows it. */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return fullName(ref);
  return ref.path.startsWith('library/') && ref.path.split('/').length === 2 ? ref.path.slice(8) : ref.path;
}

/** The canonical string used as a store key: `docker.io/library/busybox:latest` or `...@sha256:...`. */
export function referenceKey(ref: ImageReference): string {
  return `${fullName(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The familiar form of a store key: `busybox:latest`, `busybox@sha256:...`. */
export function familiarKey(key: string): string {
  const ref = parseReference(key);
  return `${familiarName(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

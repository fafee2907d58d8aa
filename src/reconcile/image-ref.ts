import type { Project, Service } from '../model/project.js';
import type { ObservedImage, ObservedState } from './observed-state.js';

/**
 * The short form the engine lists tags in: `docker.io/library/busybox` → `busybox:latest`,
 * `registry:5000/app` → `registry:5000/app:latest`; digests are kept as they are.
 */
export function normalizeImageRef(ref: string): string {
  let out = ref.replace(/^docker\.io\/(library\/)?/, '').replace(/^index\.docker\.io\/(library\/)?/, '');
  const lastSlash = out.lastIndexOf('/');
  if (!out.includes('@') && !out.slice(lastSlash + 1).includes(':')) out = `${out}:latest`;
  return out;
}

/** The image a service runs: `image:`, or `<project>-<service>` for a build without one (as Compose v2). */
export function serviceImage(project: Pick<Project, 'name'>, service: Service): string {
  return service.image ?? `${project.name}-${service.name}`.toLowerCase();
}

/** The local image a reference names, if it is present. */
export function findImage(observed: ObservedState, ref: string): ObservedImage | undefined {
  return observed.images[normalizeImageRef(ref)] ?? observed.images[ref];
}

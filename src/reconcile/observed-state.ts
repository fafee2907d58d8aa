/**
 * A snapshot of what exists on the engine for one project, taken once before planning so the
 * reconciler can compare desired and actual state without any further engine call.
 */
export interface ObservedState {
  /** The project's containers (label `com.docker.compose.project=<name>`), one-offs included. */
  containers: ObservedContainer[];
  /** Networks by engine-side name: the project's own, and the external ones the project uses. */
  networks: Record<string, ObservedNetwork>;
  /** Volumes by engine-side name: the project's own, and the external ones the project uses. */
  volumes: Record<string, ObservedVolume>;
  /** Local images by every reference they are tagged with (`busybox:latest`), plus by ID. */
  images: Record<string, ObservedImage>;
}

/** Container states as the engine reports them. */
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** One container, as the list call reports it. */
export interface ObservedContainer {
  id: string;
  /** Without the leading slash. */
  name: string;
  state: ContainerState;
  /** The engine's status text (`Up 3 seconds (healthy)`). */
  status: string;
  labels: Record<string, string>;
  /** The image ID the container runs. */
  imageId: string;
  /** Names of the networks it is attached to. */
  networks: string[];
  /** Its mounts; anonymous volumes are carried over on recreate. */
  mounts: ObservedMount[];
  /** Published ports, as listed. */
  ports: Array<{ privatePort: number; publicPort?: number; ip?: string; type: string }>;
}

/** A mount of an observed container. */
export interface ObservedMount {
  type: string;
  /** The volume name, for volume mounts. */
  name?: string;
  source?: string;
  destination: string;
}

/** A network, as listed. */
export interface ObservedNetwork {
  id: string;
  name: string;
  labels: Record<string, string>;
}

/** A volume, as listed. */
export interface ObservedVolume {
  name: string;
  labels: Record<string, string>;
}

/** A local image. */
export interface ObservedImage {
  id: string;
  repoTags: string[];
  labels: Record<string, string>;
}

/** An empty snapshot (nothing exists yet). */
export function emptyObservedState(): ObservedState {
  return { containers: [], networks: {}, volumes: {}, images: {} };
}

/** States in which a container has live processes (to stop before removing, not to start). */
const LIVE_STATES: ReadonlySet<string> = new Set(['running', 'restarting', 'paused']);

/** True when the container has live processes: running, restarting or paused. */
export function isLive(c: Pick<ObservedContainer, 'state'>): boolean {
  return LIVE_STATES.has(c.state);
}

import type { DownOptions, ReconcileOptions } from '../reconcile/options.js';
import type { ProgressListener } from '../reconcile/progress-event.js';

/** Options every project operation accepts. */
export interface CallOptions {
  /** Cancels the operation: nothing new starts, what is in flight finishes. */
  signal?: AbortSignal;
  /** Receives progress events. */
  onEvent?: ProgressListener;
  /** `--parallel N`. */
  parallel?: number;
}

/** `up`. */
export interface UpOptions extends ReconcileOptions, CallOptions {
  /** `--wait`: return only when every container is running and healthy (or completed). */
  wait?: boolean;
  /** `--wait-timeout`, in milliseconds. */
  waitTimeoutMs?: number;
  /** `--dry-run`: plan and report, change nothing. */
  dryRun?: boolean;
}

/** `down`. */
export interface ProjectDownOptions extends DownOptions, CallOptions {
  dryRun?: boolean;
}

/** `ps`. */
export interface PsOptions {
  /** `-a`: stopped containers too. */
  all?: boolean;
  /** Only these services. */
  services?: string[];
  /** `--status`. */
  status?: string[];
  signal?: AbortSignal;
}

/** One container in `ps`. */
export interface ContainerInfo {
  id: string;
  name: string;
  service: string;
  number: number;
  image: string;
  command: string;
  created: number;
  state: string;
  status: string;
  health: string;
  exitCode?: number;
  ports: Array<{ url?: string; targetPort: number; publishedPort?: number; protocol: string }>;
  oneoff: boolean;
  /** The Compose project it belongs to (its label). */
  project: string;
  /** Every name the engine reports, without the leading slash. */
  names: string[];
  labels: Record<string, string>;
  /** Its mounts: the volume's name, or the source path of a bind mount. */
  mounts: string[];
  /** How many of its mounts are volumes of the `local` driver. */
  localVolumes: number;
  /** The networks it is connected to, by name, sorted. */
  networks: string[];
}

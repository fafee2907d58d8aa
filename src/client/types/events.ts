/**
 * One event of a JSON-lines progress stream (pull, push, build, load, import). Errors never
 * appear here: an `error`/`errorDetail` line is thrown by the iterator instead.
 */
export interface ProgressEvent {
  /** A status line ("Pulling fs layer", "Pushed", "Loaded image: x"). */
  status?: string;
  /** The layer or image the status is about. */
  id?: string;
  /** Byte counts of a transfer. */
  progressDetail?: { current?: number; total?: number };
  /** A human-readable progress bar. */
  progress?: string;
  /** Build output text (and `docker load` messages). */
  stream?: string;
  /** Structured extra data: `{ ID }` of a built image, `{ Tag, Digest, Size }` of a push. */
  aux?: { ID?: string; Tag?: string; Digest?: string; Size?: number; [field: string]: unknown };
  [field: string]: unknown;
}

/** One engine event (`GET /events`). */
export interface EngineEvent {
  Type:
    | 'container'
    | 'image'
    | 'volume'
    | 'network'
    | 'daemon'
    | 'plugin'
    | 'service'
    | 'node'
    | 'secret'
    | 'config'
    | 'builder';
  /** `create`, `start`, `die`, `health_status: healthy`, `destroy`, `connect`... */
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope?: 'local' | 'swarm';
  /** Seconds since the epoch. */
  time: number;
  timeNano: number;
  [field: string]: unknown;
}

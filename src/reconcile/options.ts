/** How `up` (and `plan`, `create`) decide what to change. Mirrors Compose's `up` flags. */
export interface ReconcileOptions {
  /** Services to act on (`up web api`); empty means all active services. */
  services?: string[];
  /** `--no-deps`: do not add the selected services' dependencies. */
  noDeps?: boolean;
  /** `diverged` (default), `force` (`--force-recreate`) or `never` (`--no-recreate`). */
  recreate?: 'diverged' | 'force' | 'never';
  /** `--no-start`: create, do not start. */
  noStart?: boolean;
  /** `--remove-orphans`. */
  removeOrphans?: boolean;
  /** `--scale svc=n`, overriding the file. */
  scale?: Record<string, number>;
  /** `--pull`: overrides each service's `pull_policy`. */
  pull?: 'always' | 'missing' | 'never';
  /** `--build` (`always`), `--no-build` (`never`); default builds missing images. */
  build?: 'always' | 'missing' | 'never';
  /** `-t/--timeout` in seconds, for the stops a recreate does. */
  timeout?: number;
}

/** How `down` decides what to remove. */
export interface DownOptions {
  /** `-v`: also remove named volumes declared in the file and anonymous volumes. */
  volumes?: boolean;
  /** `--rmi local|all`. */
  rmi?: 'local' | 'all';
  /** `--remove-orphans`. */
  removeOrphans?: boolean;
  /** `-t/--timeout` in seconds. */
  timeout?: number;
}

/** What `loadProject` needs to find, read and resolve a stack. Mirrors Compose's global flags. */
export interface LoadOptions {
  /** `-f/--file`, in order; `-` reads standard input. Empty means discovery in `cwd` and its parents. */
  files?: string[];
  /** `--project-directory`; defaults to the directory of the first file. */
  projectDirectory?: string;
  /** `-p/--project-name`. */
  projectName?: string;
  /** `--profile`, added to `COMPOSE_PROFILES`. */
  profiles?: string[];
  /** `--env-file`, in order; replaces the project directory's `.env`. */
  envFiles?: string[];
  /** Skip interpolation (`berth config --no-interpolate`). */
  interpolate?: boolean;
  /** Where discovery starts; defaults to `process.cwd()`. */
  cwd?: string;
  /** The process environment; defaults to `process.env`. Injected so tests never touch the real one. */
  env?: Record<string, string | undefined>;
  /** Standard input contents for `-f -`; defaults to reading `process.stdin`. */
  stdin?: () => Promise<string>;
  /** Hears of non-fatal problems (a variable used but not set), each one line with its place. */
  onWarning?: (message: string) => void;
}

import type { PositionIndex } from '../tree-path.js';

/**
 * What normalization needs from the loader. Normalization itself reads no files and no
 * environment: `env_file`/`label_file` contents come through `readEnvFile`, which the loader
 * implements (only its module touches the disk).
 */
export interface NormalizeContext {
  /** The project name, already normalized (`-p` > COMPOSE_PROJECT_NAME > `name:` > directory). */
  projectName: string;
  /** Absolute project directory; relative paths are resolved against it. */
  workingDir: string;
  /** The files loaded, in order (`-` for stdin). */
  configFiles: string[];
  /** The interpolation environment (process environment over `.env`). */
  environment: Record<string, string>;
  /** Selected profiles (`--profile` and COMPOSE_PROFILES); `*` selects every profile. */
  profiles: string[];
  /** Where each node of the merged tree was written. */
  positions: PositionIndex;
  /**
   * Reads a `KEY=value` file (an absolute path, or relative to `workingDir`). Returns undefined
   * for a missing file that is not `required`; throws a located error otherwise. `format` is the
   * entry's `format:` (unset or `env`: Compose's `.env` syntax; `raw`: values as written).
   */
  readEnvFile(path: string, required: boolean, format?: string): Record<string, string> | undefined;
  /**
   * Receives warnings (`file:line:col path: message`), as LoadOptions.onWarning does: things
   * Compose accepts but that are likely mistakes. Optional; without it warnings are dropped.
   */
  warn?(message: string): void;
}

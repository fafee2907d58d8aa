import type { ChildProcess, SpawnOptions } from 'node:child_process';

/**
 * A mount described as data: what a `mount(2)` call would do. Snapshotters and the container
 * runtime emit these; only a {@link Host} applies them (or they go into an OCI config.json).
 */
export interface Mount {
  /** Filesystem type: `overlay`, `bind`, `tmpfs`, `proc`, ... */
  type: string;
  source: string;
  target: string;
  /** mount(8)-style options: `ro`, `rbind`, `lowerdir=...`, `upperdir=...`, ... */
  options: string[];
}

/** The result of a finished command. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@link Host.run}. */
export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
  /** Milliseconds before the command is killed; none by default. */
  timeoutMs?: number;
  /** Don't throw on a non-zero exit (the default is to throw an Error with stderr). */
  allowFailure?: boolean;
}

/**
 * Every kernel and process call the engine makes goes through this interface, so unit tests can
 * record what would run (see RecordingHost) and the real effects live in one place (LinuxHost).
 */
export interface Host {
  /** Runs a command to completion. */
  run(command: string, args: string[], options?: RunOptions): Promise<RunResult>;
  /** Starts a long-running process (conmon, a runtime, a helper). */
  spawn(command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** Applies a mount. */
  mount(mount: Mount): Promise<void>;
  /** Unmounts `target` (lazily when `detach`); a target that is not mounted is not an error. */
  unmount(target: string, options?: { detach?: boolean }): Promise<void>;
  /** Mount points at or below `prefix`, deepest first (for leak checks and recovery). */
  mountsUnder(prefix: string): Promise<string[]>;
  /** Sends signal number `signal` to process `pid`; false when there is no such process. */
  signal(pid: number, signal: number): boolean;
}

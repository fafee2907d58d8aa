import type { Host } from '../host/host.js';

/** A container's state as `crun state`/`runc state` reports it. */
export interface RuntimeState {
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
  pid: number;
}

/**
 * The OCI runtime's command line (crun and runc share it), with its state directory (`--root`)
 * under the engine's run root so our containers never mix with another engine's.
 */
export class RuntimeCli {
  constructor(
    private readonly host: Host,
    /** Path of crun or runc. */
    readonly path: string,
    /** The runtime's state directory. */
    readonly root: string,
  ) {}

  private args(...rest: string[]): string[] {
    return ['--root', this.root, ...rest];
  }

  /** The container's state, or undefined when the runtime does not know it. */
  async state(id: string): Promise<RuntimeState | undefined> {
    const res = await this.host.run(this.path, this.args('state', id), { allowFailure: true });
    if (res.code !== 0) return undefined;
    const parsed = JSON.parse(res.stdout) as RuntimeState;
    return { status: parsed.status, pid: parsed.pid ?? 0 };
  }

  /** Runs the created container's process. */
  async start(id: string): Promise<void> {
    await this.host.run(this.path, this.args('start', id));
  }

  /** Sends a signal to the container's init (every process with `all`); a gone container is not an error. */
  async kill(id: string, signal: string, all = false): Promise<boolean> {
    const res = await this.host.run(this.path, this.args('kill', ...(all ? ['--all'] : []), id, signal), {
      allowFailure: true,
    });
    return res.code === 0;
  }

  /** Deletes the runtime's record and cgroup of a stopped container (forced: kills first). Idempotent. */
  async delete(id: string, force = false): Promise<void> {
    await this.host.run(this.path, this.args('delete', ...(force ? ['--force'] : []), id), {
      allowFailure: true,
    });
  }

  /** Freezes the container's cgroup. */
  async pause(id: string): Promise<void> {
    await this.host.run(this.path, this.args('pause', id));
  }

  /** Thaws the container's cgroup. */
  async resume(id: string): Promise<void> {
    await this.host.run(this.path, this.args('resume', id));
  }

  /** Host PIDs of the container's processes. */
  async pids(id: string): Promise<number[]> {
    const res = await this.host.run(this.path, this.args('ps', '--format', 'json', id), {
      allowFailure: true,
    });
    if (res.code !== 0) return [];
    const parsed = JSON.parse(res.stdout || '[]') as number[] | null;
    return parsed ?? [];
  }

  /** argv (after the runtime path) that runs a process described by `processJson` in the container. */
  execArgs(id: string, processJson: string, tty: boolean, pidFile?: string): string[] {
    return this.args(
      'exec',
      '--process',
      processJson,
      ...(pidFile ? ['--pid-file', pidFile] : []),
      ...(tty ? ['--tty'] : []),
      id,
    );
  }
}

import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Host, Mount, RunOptions, RunResult } from './host.js';

/** One recorded call. */
export type HostCall =
  | { op: 'run'; command: string; args: string[] }
  | { op: 'spawn'; command: string; args: string[] }
  | { op: 'mount'; mount: Mount }
  | { op: 'unmount'; target: string }
  | { op: 'signal'; pid: number; signal: number };

/**
 * A {@link Host} for unit tests: records every call and answers `run` from a table of canned
 * results (default: exit 0, empty output). Nothing touches the machine.
 */
export class RecordingHost implements Host {
  readonly calls: HostCall[] = [];
  private readonly mounted = new Set<string>();

  constructor(
    private readonly answer: (command: string, args: string[]) => Partial<RunResult> = () => ({}),
  ) {}

  async run(command: string, args: string[], _options?: RunOptions): Promise<RunResult> {
    this.calls.push({ op: 'run', command, args });
    return { code: 0, stdout: '', stderr: '', ...this.answer(command, args) };
  }

  spawn(command: string, args: string[]): ChildProcess {
    this.calls.push({ op: 'spawn', command, args });
    return new EventEmitter() as ChildProcess;
  }

  async mount(mount: Mount): Promise<void> {
    this.calls.push({ op: 'mount', mount });
    this.mounted.add(mount.target);
  }

  async unmount(target: string): Promise<void> {
    this.calls.push({ op: 'unmount', target });
    this.mounted.delete(target);
  }

  async mountsUnder(prefix: string): Promise<string[]> {
    return [...this.mounted].filter((t) => t.startsWith(prefix)).sort((a, b) => b.length - a.length);
  }

  /** Records the signal; the process is taken to exist. */
  signal(pid: number, signal: number): boolean {
    this.calls.push({ op: 'signal', pid, signal });
    return true;
  }
}

import { type ExitRecord, watchExit } from './exit-watcher.js';

/** Where conmon records one container's exit. */
export interface ExitFiles {
  exitDir: string;
  exitFile: string;
  persistDir: string;
}

/** The exit watchers of every running container, by container ID. */
export class ExitWatches {
  private readonly stops = new Map<string, () => void>();

  /** Follows a container's exit (replacing an earlier watcher); `onExit` is called once. */
  follow(id: string, files: ExitFiles, onExit: (exit: ExitRecord) => void): void {
    this.unfollow(id);
    this.stops.set(
      id,
      watchExit(files.exitDir, files.exitFile, files.persistDir, (exit) => {
        this.stops.delete(id);
        onExit(exit);
      }),
    );
  }

  /** Stops following one container. */
  unfollow(id: string): void {
    this.stops.get(id)?.();
    this.stops.delete(id);
  }

  /** Stops following every container. */
  close(): void {
    for (const stop of this.stops.values()) stop();
    this.stops.clear();
  }
}

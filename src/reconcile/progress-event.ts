import type { OperationType } from './plan.js';

/**
 * What the executor reports while it works, one event per state change of a plan node (plus
 * pull/build progress lines). The CLI renders these as a live view, plain lines or JSON.
 */
export type ProgressEvent =
  | {
      kind: 'operation';
      node: number;
      type: OperationType;
      /** `OperationType` name, for JSON consumers. */
      operation: string;
      resource: string;
      service?: string;
      cause: string;
      state: 'started' | 'done' | 'failed' | 'skipped';
      /** Milliseconds since the node started (for done and failed). */
      elapsedMs?: number;
      error?: string;
    }
  | {
      kind: 'progress';
      node: number;
      resource: string;
      text: string;
      /** The image layer a pull or push line is about, and its status (`Downloading`). */
      layer?: string;
      status?: string;
      current?: number;
      total?: number;
    }
  | { kind: 'warning'; message: string };

/** Receives progress events; must not throw. */
export type ProgressListener = (event: ProgressEvent) => void;

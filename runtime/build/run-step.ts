import { Writable } from 'node:stream';
import type { ContainerService } from '../containers/container-service.js';
import type { ContainerImageConfig } from '../contracts.js';
import { EngineError } from '../errors.js';
import { streamLog } from '../logs/log-reader.js';
import { shortId } from './build-output.js';

/** Marks the engine's build containers, so a restart after a crash mid-build removes them. */
export const BUILD_CONTAINER_LABEL = 'io.berth.build-container';

/** What a RUN step runs. */
export interface RunRequest {
  imageId: string;
  argv: string[];
  /** The step's config (Env with the build args it sees, WorkingDir, User). */
  config: ContainerImageConfig;
  networkMode: string;
  /** Further HostConfig of the container (the build's resource limits, extra hosts). */
  hostConfig: Record<string, unknown>;
  /** Progress text (the command's output, `---> Running in`). */
  print: (text: string) => void;
  /** Say `Removing intermediate container` after a failure too (`forcerm`). */
  forceRemove?: boolean;
  signal: AbortSignal;
}

/** A RUN whose command exited non-zero: Docker's message, with the code. */
export class RunFailed extends EngineError {
  constructor(
    argv: readonly string[],
    readonly code: number,
  ) {
    super('invalid', `The command '${argv.join(' ')}' returned a non-zero code: ${code}`);
  }
}

/**
 * Runs one RUN instruction in a build container through the engine's own container path (same
 * OCI runtime, rootfs above the parent image, the build's network), streaming its output; calls
 * `commit` with the container's ID once it exited 0; the container is removed in every case.
 */
export async function runStep<T>(
  containers: ContainerService,
  req: RunRequest,
  commit: (containerId: string) => Promise<T>,
): Promise<T> {
  const { Id: id } = await containers.create(
    {
      Image: req.imageId,
      Cmd: req.argv,
      Entrypoint: [''],
      Env: req.config.Env ?? [],
      WorkingDir: req.config.WorkingDir || undefined,
      User: req.config.User ?? '',
      Labels: { [BUILD_CONTAINER_LABEL]: 'true' },
      HostConfig: { ...req.hostConfig, NetworkMode: req.networkMode },
    },
    null,
  );
  req.print(` ---> Running in ${shortId(id)}\n`);
  try {
    const record = containers.store.get(id);
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    req.signal.addEventListener('abort', onAbort);
    // A client gone before the listener was added cancels at once.
    if (req.signal.aborted) abort.abort();
    try {
      if (abort.signal.aborted) throw new EngineError('invalid', 'the build was cancelled');
      await containers.lifecycle.start(record);
      const done = containers.lifecycle.wait(record, 'not-running', abort.signal);
      const out = new Writable({
        write(chunk: Buffer, _enc, cb) {
          req.print(chunk.toString('utf8'));
          cb();
        },
      });
      await streamLog(
        containers.runner.paths(id).log,
        { stdout: true, stderr: true },
        { out, raw: true, timestamps: false },
        { done, signal: abort.signal },
      );
      await done;
    } finally {
      req.signal.removeEventListener('abort', onAbort);
    }
    if (req.signal.aborted) throw new EngineError('invalid', 'the build was cancelled');
    const code = containers.store.get(id).State.ExitCode ?? 0;
    if (code !== 0) {
      if (req.forceRemove) req.print(`Removing intermediate container ${shortId(id)}\n`);
      throw new RunFailed(req.argv, code);
    }
    const image = await commit(id);
    req.print(`Removing intermediate container ${shortId(id)}\n`);
    return image;
  } finally {
    await containers.remove(id, true, true).catch(() => undefined);
  }
}

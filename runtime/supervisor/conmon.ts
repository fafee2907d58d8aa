import { type EngineError, internal, invalid } from '../errors.js';
import type { Host } from '../host/host.js';

/** Where conmon keeps a container's files and how it runs it. */
export interface ConmonOptions {
  id: string;
  name: string;
  runtimePath: string;
  runtimeRoot: string;
  bundle: string;
  /** Where conmon writes the container's init PID. */
  pidFile: string;
  /** Where conmon writes its own PID. */
  conmonPidFile: string;
  /** conmon writes `<exitDir>/<id>` with the exit code when the container exits. */
  exitDir: string;
  /** conmon writes `exit` and `oom` files here. */
  persistDir: string;
  /** Directory for conmon's attach-socket symlinks. */
  socketDir: string;
  /** The CRI-format log file conmon writes stdout/stderr to. */
  logPath: string;
  /** Rotate the log above this many bytes (conmon keeps the newest part). */
  logSizeMax: number;
  tty: boolean;
  stdin: boolean;
  /** Close the container's stdin when the attached client's input ends (`docker run -i`). */
  stdinOnce?: boolean;
}

/** conmon's command line for a container (pure). */
export function conmonArgs(o: ConmonOptions): string[] {
  return [
    '--api-version',
    '1',
    '-c',
    o.id,
    '-u',
    o.id,
    '-n',
    o.name,
    '-r',
    o.runtimePath,
    '--runtime-arg',
    `--root=${o.runtimeRoot}`,
    '-b',
    o.bundle,
    '-p',
    o.pidFile,
    '--conmon-pidfile',
    o.conmonPidFile,
    '--exit-dir',
    o.exitDir,
    '--persist-dir',
    o.persistDir,
    '--socket-dir-path',
    o.socketDir,
    '-l',
    `k8s-file:${o.logPath}`,
    '--log-size-max',
    String(o.logSizeMax),
    '--log-level',
    'error',
    // conmon would fsync the log before recording the exit, on every container's critical path;
    // Docker's log drivers do not sync either (a reader sees every line through the page cache).
    '--no-sync-log',
    ...(o.tty ? ['-t'] : []),
    ...(o.stdin ? ['-i', ...(o.stdinOnce ? [] : ['--leave-stdin-open'])] : []),
  ];
}

/**
 * Starts conmon, which creates the container through the OCI runtime (`create`, not yet
 * `start`) and then watches it for its whole life, independent of the engine: it double-forks,
 * holds the container's stdio, writes the log and the exit code. Resolves with the container's
 * init PID once the runtime created it, or rejects with the runtime's error.
 */
export function startConmon(host: Host, conmonPath: string, o: ConmonOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = host.spawn(conmonPath, conmonArgs(o), {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', _OCI_SYNCPIPE: '3' },
      // conmon 2.1 also writes an `oom` file into its working directory when the container is
      // OOM-killed: the bundle directory keeps it with the container (and removes it with it).
      cwd: o.bundle,
      detached: true,
    });
    let sync = '';
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 8192) stderr += d.toString();
    });
    const pipe = child.stdio[3];
    if (!pipe || !('on' in pipe)) {
      reject(internal('conmon: no sync pipe'));
      return;
    }
    const report = (): boolean => {
      const line = sync.split('\n').find((l) => l.includes('"data"') && l.trim().endsWith('}'));
      if (!line) return false;
      const msg = JSON.parse(line) as { data: number; message?: string };
      if (msg.data > 0) resolve(msg.data);
      else reject(createError(cleanError(msg.message ?? stderr) || 'unknown error'));
      return true;
    };
    pipe.on('data', (d: Buffer) => {
      sync += d.toString();
      if (report()) pipe.destroy();
    });
    child.on('error', (err) => reject(internal(`conmon: ${err.message}`, err)));
    pipe.on('close', () => {
      // Waits a moment for stderr so the runtime's message is part of the error.
      setTimeout(() => {
        if (!report())
          reject(internal(`conmon failed to create the container: ${cleanError(stderr) || 'no report'}`));
      }, 20);
    });
    child.unref();
  });
}

/**
 * The runtime's create error as Docker words and classifies it: a missing or non-executable
 * command is the request's fault (400, and the CLI maps the words to exit codes 127/126).
 */
export function createError(message: string): EngineError {
  const notFound = /executable file `([^`]*)` not found in \$PATH/.exec(message);
  if (notFound)
    return invalid(
      `OCI runtime create failed: exec: "${notFound[1]}": executable file not found in $PATH: unknown`,
    );
  if (/no such file or directory|permission denied/i.test(message)) {
    return invalid(
      `OCI runtime create failed: ${message.replace(/No such file/g, 'no such file').replace(/Permission denied/g, 'permission denied')}: unknown`,
    );
  }
  return internal(`OCI runtime create failed: ${message}: unknown`);
}

/** conmon relays the runtime's stderr with prefixes; keep the message a user can act on. */
function cleanError(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^\[conmon:.\]:\s*/, '').trim())
    .filter((l) => l && !/oom_score_adj/.test(l))
    .join('; ');
}

import type { Readable } from 'node:stream';
import { malformedResponse } from '../errors.js';
import { seg } from '../query.js';
import { demultiplex, type OutputStreams } from '../streams/demultiplex.js';
import { type AttachedStreams, attachedStreams } from '../streams/hijacked.js';
import type { Transport } from '../transport.js';
import type { PathStat } from '../types/containers.js';
import { compareVersions } from '../version.js';
import { streamErrors, type TimeArg, timeParam, type WithSignal } from './shared.js';

/** Options of `containers.logs`. Both streams are included unless one is asked for alone. */
export interface LogsOptions extends WithSignal {
  /** Include stdout. */
  stdout?: boolean;
  /** Include stderr. */
  stderr?: boolean;
  /** Keep streaming new output until the container stops (no timeout; abort to stop early). */
  follow?: boolean;
  /** Lines from the end (`all` or a number). */
  tail?: number | 'all';
  /** Only output written at or after this time. */
  since?: TimeArg;
  /** Only output written before this time. */
  until?: TimeArg;
  /** Prefix each line with its RFC 3339 timestamp. */
  timestamps?: boolean;
  /** Whether the container has a TTY, when the caller knows (saves an inspect on API < 1.42). */
  tty?: boolean;
}

/** Options of `containers.attach`. */
export interface AttachOptions extends WithSignal {
  /** Stream output as it is written (default true). */
  stream?: boolean;
  /** Connect the session's `stdin` to the container's (it needs `OpenStdin`). */
  stdin?: boolean;
  /** Include stdout (default true). */
  stdout?: boolean;
  /** Include stderr (default true). */
  stderr?: boolean;
  /** Replay the output so far first. */
  logs?: boolean;
  /** The key sequence that detaches (`ctrl-p,ctrl-q` by default on Docker). */
  detachKeys?: string;
  /** Whether the container has a TTY, when the caller knows (saves an inspect on API < 1.42). */
  tty?: boolean;
}

/** A file or directory read out of a container: its stat and a tar stream of it. */
export interface ArchiveRead {
  /** The path's stat (`X-Docker-Container-Path-Stat`), when the engine sent one. */
  stat: PathStat | undefined;
  /** The tar stream: read it to the end (or destroy it) to release the connection. */
  tar: Readable;
}

/** The streaming calls of `/containers`: logs, attach, archives, export. */
export class ContainerStreams {
  constructor(protected readonly t: Transport) {}

  /** The container's output as two demultiplexed streams (`follow` streams until it exits). */
  async logs(id: string, opts: LogsOptions = {}): Promise<OutputStreams> {
    const path = `/containers/${seg(id)}/logs`;
    const both = opts.stdout === undefined && opts.stderr === undefined;
    const query = {
      stdout: both || Boolean(opts.stdout),
      stderr: both || Boolean(opts.stderr),
      follow: opts.follow,
      tail: opts.tail,
      since: timeParam(opts.since),
      until: timeParam(opts.until),
      timestamps: opts.timestamps,
    };
    const tty = await this.knownTty(id, opts.tty, opts.signal);
    const res = await this.t.stream('GET', path, { query, signal: opts.signal });
    const raw = await this.rawStream(String(res.headers['content-type'] ?? ''), tty, id, opts.signal);
    return demultiplex(res, raw, streamErrors(this.t, `GET ${path}`, opts.signal));
  }

  /** Attaches to the container's stdio over a hijacked connection. */
  async attach(id: string, opts: AttachOptions = {}): Promise<AttachedStreams> {
    const path = `/containers/${seg(id)}/attach`;
    const { signal, tty: knownTty, ...flags } = opts;
    const tty = await this.knownTty(id, knownTty, signal);
    const query = { stream: true, stdout: true, stderr: true, ...flags };
    const { socket, contentType } = await this.t.hijack('POST', path, { query, signal });
    const raw = await this.rawStream(contentType, tty, id, signal);
    return attachedStreams(socket, raw, streamErrors(this.t, `POST ${path}`, signal));
  }

  /** Stats a path inside the container (`HEAD /archive`). */
  async statPath(id: string, path: string, opts: WithSignal = {}): Promise<PathStat | undefined> {
    const res = await this.t.stream('HEAD', `/containers/${seg(id)}/archive`, {
      query: { path },
      kind: 'metadata',
      signal: opts.signal,
    });
    res.resume();
    return decodeStat(res.headers['x-docker-container-path-stat'], `HEAD /containers/${id}/archive`);
  }

  /** Reads a path out of the container as a tar stream (for `cp` out). */
  async getArchive(id: string, path: string, opts: WithSignal = {}): Promise<ArchiveRead> {
    const res = await this.t.stream('GET', `/containers/${seg(id)}/archive`, {
      query: { path },
      signal: opts.signal,
    });
    return {
      stat: decodeStat(res.headers['x-docker-container-path-stat'], `GET /containers/${id}/archive`),
      tar: res,
    };
  }

  /** Extracts a tar stream into a directory of the container (for `cp` in). */
  async putArchive(
    id: string,
    path: string,
    tar: Readable | Buffer,
    opts: { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean } & WithSignal = {},
  ): Promise<void> {
    const { signal, ...flags } = opts;
    await this.t.call('PUT', `/containers/${seg(id)}/archive`, {
      query: { path, ...flags },
      raw: tar,
      kind: 'stream',
      signal,
    });
  }

  /** The container's whole filesystem as a tar stream. */
  export(id: string, opts: WithSignal = {}): Promise<Readable> {
    return this.t.stream('GET', `/containers/${seg(id)}/export`, { signal: opts.signal });
  }

  /** True when the negotiated API version is below `version`. */
  protected async apiBelow(version: string, signal?: AbortSignal): Promise<boolean> {
    return compareVersions(await this.t.apiVersion(signal), version) < 0;
  }

  /** The caller's answer, else (API < 1.42, where content types do not tell) the container's own. */
  private async knownTty(
    id: string,
    tty: boolean | undefined,
    signal?: AbortSignal,
  ): Promise<boolean | undefined> {
    if (tty !== undefined || !(await this.apiBelow('1.42', signal))) return tty;
    return this.inspectTty(id, signal);
  }

  /** From API 1.42 the content type tells raw from multiplexed; before it, only the container's TTY does. */
  private async rawStream(contentType: string, tty: boolean | undefined, id: string, signal?: AbortSignal) {
    if (tty !== undefined) return tty;
    if (contentType.includes('multiplexed')) return false;
    if (contentType.includes('raw-stream')) return true;
    return this.inspectTty(id, signal);
  }

  private async inspectTty(id: string, signal?: AbortSignal): Promise<boolean> {
    const path = `/containers/${seg(id)}/json`;
    return Boolean((await this.t.call<{ Config: { Tty?: boolean } }>('GET', path, { signal })).Config.Tty);
  }
}

function decodeStat(header: string | string[] | undefined, endpoint: string): PathStat | undefined {
  if (typeof header !== 'string' || !header) return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
  } catch {
    throw malformedResponse(endpoint, `bad path stat header ${header.slice(0, 60)}`);
  }
}

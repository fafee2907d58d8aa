import type { Readable } from 'node:stream';

/**
 * The part of the Engine API client (src/client, `EngineClient`) that the orchestration uses.
 * Declared here, structurally, so observe/execute depend on a narrow seam: the real client fits
 * it as is, and a decorator (a write counter, a dry-run recorder) can wrap it.
 */
export interface EnginePort {
  system: {
    events(opts: {
      filters?: Record<string, string[]>;
      since?: string | number | Date;
      until?: string | number | Date;
      signal?: AbortSignal;
    }): AsyncIterable<EngineEventLine>;
  };
  containers: {
    list(opts: {
      all?: boolean;
      filters?: Record<string, string[]>;
      signal?: AbortSignal;
    }): Promise<ListedContainer[]>;
    create(body: object, opts: { name?: string; signal?: AbortSignal }): Promise<{ Id: string }>;
    inspect(id: string, opts?: { signal?: AbortSignal }): Promise<InspectedContainer>;
    start(id: string, opts?: { signal?: AbortSignal }): Promise<void>;
    stop(id: string, opts?: { t?: number; abortSignal?: AbortSignal }): Promise<void>;
    restart(id: string, opts?: { t?: number; abortSignal?: AbortSignal }): Promise<void>;
    kill(id: string, opts?: { signal?: string | AbortSignal }): Promise<void>;
    pause(id: string, opts?: { signal?: AbortSignal }): Promise<void>;
    unpause(id: string, opts?: { signal?: AbortSignal }): Promise<void>;
    remove(id: string, opts?: { force?: boolean; v?: boolean; signal?: AbortSignal }): Promise<void>;
    rename(id: string, name: string, opts?: { signal?: AbortSignal }): Promise<void>;
    wait(
      id: string,
      opts?: { condition?: 'not-running' | 'next-exit' | 'removed'; signal?: AbortSignal },
    ): Promise<{
      StatusCode: number;
    }>;
    logs(
      id: string,
      opts: {
        follow?: boolean;
        tail?: number | 'all';
        since?: string | number | Date;
        timestamps?: boolean;
        signal?: AbortSignal;
      },
    ): Promise<{ stdout: Readable; stderr: Readable }>;
    attach(
      id: string,
      opts: {
        stream?: boolean;
        stdin?: boolean;
        stdout?: boolean;
        stderr?: boolean;
        tty?: boolean;
        signal?: AbortSignal;
      },
    ): Promise<AttachedIo>;
    resize(id: string, size: { h: number; w: number }, opts?: { signal?: AbortSignal }): Promise<void>;
    getArchive(id: string, path: string, opts?: { signal?: AbortSignal }): Promise<{ tar: Readable }>;
    putArchive(
      id: string,
      path: string,
      tar: Readable | Buffer,
      opts?: { signal?: AbortSignal },
    ): Promise<void>;
    statPath(
      id: string,
      path: string,
      opts?: { signal?: AbortSignal },
    ): Promise<{ mode: number } | undefined>;
    top(
      id: string,
      psArgs?: string,
      opts?: { signal?: AbortSignal },
    ): Promise<{ Titles: string[]; Processes: string[][] }>;
  };
  exec: {
    create(containerId: string, body: object, opts?: { signal?: AbortSignal }): Promise<{ Id: string }>;
    start(
      execId: string,
      opts: { Tty?: boolean; Detach?: boolean; stdin?: boolean; signal?: AbortSignal },
    ): Promise<AttachedIo | undefined>;
    inspect(
      execId: string,
      opts?: { signal?: AbortSignal },
    ): Promise<{ ExitCode: number | null; Running: boolean }>;
    resize(execId: string, size: { h: number; w: number }, opts?: { signal?: AbortSignal }): Promise<void>;
  };
  networks: {
    list(opts?: { filters?: Record<string, string[]>; signal?: AbortSignal }): Promise<ListedNetwork[]>;
    create(body: object, opts?: { signal?: AbortSignal }): Promise<{ Id: string }>;
    connect(
      id: string,
      body: { Container: string; EndpointConfig?: object },
      opts?: { signal?: AbortSignal },
    ): Promise<void>;
    disconnect(
      id: string,
      body: { Container: string; Force?: boolean },
      opts?: { signal?: AbortSignal },
    ): Promise<void>;
    remove(id: string, opts?: { signal?: AbortSignal }): Promise<void>;
  };
  volumes: {
    list(opts?: { filters?: Record<string, string[]>; signal?: AbortSignal }): Promise<{
      Volumes: ListedVolume[] | null;
    }>;
    create(body: object, opts?: { signal?: AbortSignal }): Promise<unknown>;
    remove(name: string, opts?: { force?: boolean; signal?: AbortSignal }): Promise<void>;
  };
  images: {
    list(opts?: { filters?: Record<string, string[]>; signal?: AbortSignal }): Promise<ListedImage[]>;
    pull(
      ref: string,
      opts?: { signal?: AbortSignal },
    ): AsyncIterable<EngineProgress> | Promise<AsyncIterable<EngineProgress>>;
    build(
      context: string,
      opts: {
        dockerfile?: string;
        t?: string | string[];
        buildargs?: Record<string, string>;
        target?: string;
        labels?: Record<string, string>;
        nocache?: boolean;
        pull?: boolean;
        forcerm?: boolean;
        signal?: AbortSignal;
      },
    ): AsyncIterable<EngineProgress> | Promise<AsyncIterable<EngineProgress>>;
    push(
      ref: string,
      opts?: { signal?: AbortSignal },
    ): AsyncIterable<EngineProgress> | Promise<AsyncIterable<EngineProgress>>;
    remove(ref: string, opts?: { force?: boolean; signal?: AbortSignal }): Promise<unknown>;
  };
}

/** A line of pull/build progress, as the engine streams it. */
export interface EngineProgress {
  id?: string;
  status?: string;
  stream?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: { ID?: string };
}

/** `GET /containers/json` entry (the fields berth reads). */
export interface ListedContainer {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Created?: number;
  Command?: string;
  State: string;
  Status: string;
  Labels: Record<string, string> | null;
  Ports?: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }>;
  NetworkSettings?: { Networks?: Record<string, unknown> | null };
  Mounts?: Array<{ Type: string; Name?: string; Source?: string; Destination: string }>;
}

/** `GET /containers/{id}/json` (the fields berth reads). */
export interface InspectedContainer {
  Id: string;
  Name: string;
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    FinishedAt?: string;
    Health?: { Status: string };
  };
  Config: { Labels?: Record<string, string> | null; Tty?: boolean };
}

/** `GET /networks` entry. */
export interface ListedNetwork {
  Id: string;
  Name: string;
  Labels: Record<string, string> | null;
}

/** `GET /volumes` entry. */
export interface ListedVolume {
  Name: string;
  Labels: Record<string, string> | null;
}

/** `GET /images/json` entry. */
export interface ListedImage {
  Id: string;
  Size?: number;
  RepoTags: string[] | null;
  Labels: Record<string, string> | null;
}

/** `GET /events` entry (the fields berth reads). */
export interface EngineEventLine {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano?: number;
}

/** A hijacked attach/exec connection. */
export interface AttachedIo {
  stdin: NodeJS.WritableStream;
  stdout: Readable;
  stderr: Readable;
  close(): void;
}

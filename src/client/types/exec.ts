/** `POST /containers/{id}/exec`. */
export interface ExecCreateBody {
  Cmd: string[];
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
  Tty?: boolean;
  ConsoleSize?: [number, number];
  Env?: string[];
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
}

/** `GET /exec/{id}/json`. */
export interface ExecInspect {
  ID: string;
  ContainerID: string;
  Running: boolean;
  /** Null while running. */
  ExitCode: number | null;
  Pid: number;
  OpenStdin: boolean;
  OpenStdout: boolean;
  OpenStderr: boolean;
  ProcessConfig: {
    entrypoint: string;
    arguments: string[];
    tty: boolean;
    privileged: boolean;
    user?: string;
  };
  [field: string]: unknown;
}

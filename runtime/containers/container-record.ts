import type { HealthState } from '../supervisor/health-state.js';
import type { ContainerConfig, HostConfig, NetworkingConfig } from './api-types.js';
import type { ContainerStatus } from './state-machine.js';

/** `State` as persisted and inspected. */
export interface ContainerState {
  Status: ContainerStatus;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  OOMKilled: boolean;
  Health?: HealthState;
}

/** One entry of inspect's `Mounts`, plus whether we created it (anonymous volumes). */
export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
  /** An anonymous volume this container created (removed with `rm -v`). */
  Anonymous?: boolean;
  /** tmpfs options. */
  Options?: string[];
}

/** Everything the engine persists about a container (`containers/<id>/state.json`). */
export interface ContainerRecord {
  Id: string;
  /** Docker's stored form, `/name`. */
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  /** The image ID (`sha256:...`). */
  Image: string;
  Config: ContainerConfig;
  HostConfig: HostConfig;
  NetworkingConfig: NetworkingConfig;
  State: ContainerState;
  RestartCount: number;
  /** Set by a client stop/kill, cleared by a client start: suspends the restart policy. */
  ManuallyStopped: boolean;
  StartedBefore: boolean;
  /** The delay before the last policy restart (for the backoff). */
  LastRestartDelayMs: number;
  MountPoints: MountPoint[];
  /** The conmon process watching the container, while it runs. */
  ConmonPid: number;
  /** The container's log file (CRI format, written by conmon). */
  LogPath: string;
}

/** The zero time Docker shows for never-happened timestamps. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A fresh `created` state. */
export const createdState = (): ContainerState => ({
  Status: 'created',
  Pid: 0,
  ExitCode: 0,
  Error: '',
  StartedAt: ZERO_TIME,
  FinishedAt: ZERO_TIME,
  OOMKilled: false,
});

/** Labels, name and image as event attributes (Docker puts all three on container events). */
export function eventAttributes(
  c: ContainerRecord,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { ...(c.Config.Labels ?? {}), image: c.Config.Image ?? c.Image, name: c.Name.slice(1), ...extra };
}

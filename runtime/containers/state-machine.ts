import { conflict, EngineError, notModified } from '../errors.js';

/** Docker's container states (`State.Status`). */
export type ContainerStatus =
  | 'created'
  | 'running'
  | 'paused'
  | 'restarting'
  | 'removing'
  | 'exited'
  | 'dead';

/**
 * The lifecycle as an explicit transition table: which operation may move a container from which
 * state, and which Docker error answers it otherwise. Guards throw; callers then act.
 */
const TRANSITIONS: Record<ContainerStatus, ContainerStatus[]> = {
  created: ['running', 'removing', 'dead', 'exited'],
  running: ['paused', 'exited', 'restarting', 'dead'],
  paused: ['running', 'exited', 'dead'],
  restarting: ['running', 'exited', 'removing', 'dead'],
  exited: ['running', 'restarting', 'removing', 'dead'],
  removing: ['dead'],
  dead: ['removing'],
};

/** True when the table allows `from → to`. */
export function canTransition(from: ContainerStatus, to: ContainerStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

const short = (id: string) => id.slice(0, 12);

/** Start: 304 when already running; 409 when paused, being removed or dead. */
export function canStart(status: ContainerStatus, id: string): void {
  if (status === 'running' || status === 'restarting') throw notModified('Container already started');
  if (status === 'paused') throw conflict(`cannot start a paused container, try unpause instead`);
  if (status === 'removing') throw conflict(`container is marked for removal and cannot be started`);
  if (status === 'dead') throw conflict(`container ${short(id)} is marked as dead and cannot be started`);
}

/** Stop: 304 when not running (a restarting container counts as running: stopping cancels the loop). */
export function canStop(status: ContainerStatus): void {
  if (status !== 'running' && status !== 'paused' && status !== 'restarting')
    throw notModified('Container already stopped');
}

/** Kill: 409 when not running. */
export function canKill(status: ContainerStatus, id: string): void {
  if (status !== 'running' && status !== 'paused') throw conflict(`Container ${id} is not running`);
}

/** Pause: 409 when not running or already paused. */
export function canPause(status: ContainerStatus, id: string): void {
  if (status === 'paused') throw conflict(`Container ${id} is already paused`);
  if (status !== 'running') throw conflict(`Container ${id} is not running`);
}

/** Unpause: 409 unless paused. */
export function canUnpause(status: ContainerStatus, id: string): void {
  if (status !== 'paused') throw conflict(`Container ${id} is not paused`);
}

/** Remove: 409 for a running (or paused/restarting) container without force, or one already being removed. */
export function canRemove(status: ContainerStatus, id: string, force: boolean): void {
  if (status === 'removing') throw conflict(`removal of container ${id} is already in progress`);
  if (force) return;
  if (status === 'paused')
    throw conflict(`cannot remove container "${id}": container is paused and must be unpaused first`);
  if (status === 'running' || status === 'restarting') {
    throw conflict(
      `cannot remove container "${id}": container is ${status}: stop the container before removing or force remove`,
    );
  }
}

/** Exec: 409 unless running. */
export function canExec(status: ContainerStatus, id: string): void {
  if (status === 'paused') throw conflict(`Container ${id} is paused, unpause the container before exec`);
  if (status !== 'running') throw conflict(`Container ${id} is not running`);
}

/** True for errors that mean "nothing to do" (304) rather than failure. */
export const isNotModified = (err: unknown) => err instanceof EngineError && err.kind === 'not-modified';

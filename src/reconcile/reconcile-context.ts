import type { Project } from '../model/project.js';
import type { ObservedContainer, ObservedState } from './observed-state.js';
import type { ReconcileOptions } from './options.js';
import type { ContainerTarget, PlanBuilder } from './plan.js';

/** A container of a service as the plan leaves it: existing, created or recreated by the plan. */
export interface PlannedContainer {
  name: string;
  /** Its container number. */
  number: number;
  target: ContainerTarget;
  /** The node that starts it, when the plan starts it. */
  startNode?: number;
  /** The node after which it exists under its final name. */
  readyNode?: number;
}

/** What the plan does to one service, for the services that depend on it. */
export interface ServiceOutcome {
  containers: PlannedContainer[];
  /** True when some container of the service is created anew or recreated. */
  recreated: boolean;
  /** Nodes that stop an old container during a recreate (dependents with restart:true stop first). */
  oldStopNodes: number[];
  /** Memoized wait nodes by `<condition>:<container name>`. */
  waits: Map<string, number>;
}

/** The shared state of one reconcile run, passed between its sub-steps. */
export interface ReconcileRun {
  project: Project;
  observed: ObservedState;
  options: ReconcileOptions;
  plan: PlanBuilder;
  /** Nodes that make an image available, by image reference. */
  imageNodes: Map<string, number>;
  /** Nodes that create a network, by project network key. */
  networkNodes: Map<string, number>;
  /** Nodes that create a volume, by project volume key. */
  volumeNodes: Map<string, number>;
  /** Nodes that remove a changed network (before creating it again), by engine name. */
  networkRemovals: Map<string, number>;
  /** Outcomes of the services planned so far (dependency order). */
  outcomes: Map<string, ServiceOutcome>;
  /** The project's containers by service (non-one-off), sorted by number. */
  byService: Map<string, ObservedContainer[]>;
}

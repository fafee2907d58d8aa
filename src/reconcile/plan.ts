import type { BuildConfig } from '../model/project.js';
import type { FieldChange } from './config-hash.js';
import type {
  ContainerCreateBody,
  EndpointBody,
  NetworkCreateBody,
  VolumeCreateBody,
} from './engine-bodies.js';
import type { InjectedFile } from './inline-files.js';

/**
 * Operation types. Values are explicit so that adding one never shifts the others (they appear
 * in `--progress json` output and golden files).
 */
export enum OperationType {
  PullImage = 1,
  BuildImage = 2,
  CreateNetwork = 3,
  RemoveNetwork = 4,
  CreateVolume = 5,
  RemoveVolume = 6,
  CreateContainer = 7,
  StartContainer = 8,
  StopContainer = 9,
  RemoveContainer = 10,
  RenameContainer = 11,
  ConnectNetwork = 12,
  DisconnectNetwork = 13,
  AwaitHealthy = 14,
  AwaitCompleted = 15,
  RemoveImage = 16,
  RestartContainer = 17,
  KillContainer = 18,
  PauseContainer = 19,
  UnpauseContainer = 20,
  PushImage = 21,
}

/** A container an operation acts on: one that exists, or the one an earlier node creates. */
export type ContainerTarget = { id: string } | { createdBy: number };

interface Base {
  /** What is touched, for humans and golden files: `service:web:1`, `network:demo_default`. */
  resource: string;
  /** Why this operation is needed: `not found`, `config changed: environment.FOO`, ... */
  cause: string;
  /** The service concerned, when there is one (for progress and errors). */
  service?: string;
}

/** One engine call (or, for the Await types, one engine wait), described as data. */
export type Operation = Base &
  (
    | { type: OperationType.PullImage; image: string }
    | {
        type: OperationType.BuildImage;
        image: string;
        build: BuildConfig;
        noCache?: boolean;
        pull?: boolean;
        /** `--build-arg` values, over the file's `args`. */
        args?: Record<string, string>;
      }
    | { type: OperationType.RemoveImage; image: string }
    | { type: OperationType.PushImage; image: string }
    | { type: OperationType.CreateNetwork; body: NetworkCreateBody }
    | { type: OperationType.RemoveNetwork; name: string }
    | { type: OperationType.CreateVolume; body: VolumeCreateBody }
    | { type: OperationType.RemoveVolume; name: string }
    | {
        type: OperationType.CreateContainer;
        name: string;
        body: ContainerCreateBody;
        /** For a recreate after a configuration change: the fields that changed. */
        diff?: FieldChange[];
        /** Secrets and configs copied in right after create (`environment:`, `content:`). */
        files?: InjectedFile[];
      }
    | { type: OperationType.StartContainer; target: ContainerTarget }
    | { type: OperationType.StopContainer; target: ContainerTarget; timeout?: number }
    | { type: OperationType.RemoveContainer; target: ContainerTarget; volumes: boolean }
    | { type: OperationType.RestartContainer; target: ContainerTarget; timeout?: number }
    | { type: OperationType.KillContainer; target: ContainerTarget; signal?: string }
    | { type: OperationType.PauseContainer; target: ContainerTarget }
    | { type: OperationType.UnpauseContainer; target: ContainerTarget }
    | { type: OperationType.RenameContainer; target: ContainerTarget; name: string }
    | { type: OperationType.ConnectNetwork; target: ContainerTarget; network: string; endpoint: EndpointBody }
    | { type: OperationType.DisconnectNetwork; target: ContainerTarget; network: string }
    | { type: OperationType.AwaitHealthy; target: ContainerTarget; required: boolean }
    | { type: OperationType.AwaitCompleted; target: ContainerTarget; required: boolean }
  );

/** A node of the plan graph: an operation and the nodes that must finish before it starts. */
export interface PlanNode {
  id: number;
  operation: Operation;
  dependsOn: number[];
}

/** What `up`/`down` will do: a DAG of operations, plus warnings for the user. */
export interface Plan {
  nodes: PlanNode[];
  warnings: string[];
}

/** Builds a plan; node IDs are assigned in insertion order, so equal inputs give equal plans. */
export class PlanBuilder {
  private readonly nodes: PlanNode[] = [];
  readonly warnings: string[] = [];

  /** Adds a node after `dependsOn` (undefined entries are skipped); returns its ID. */
  add(operation: Operation, dependsOn: ReadonlyArray<number | undefined> = []): number {
    const id = this.nodes.length + 1;
    const deps = [...new Set(dependsOn.filter((d): d is number => d !== undefined))].sort((a, b) => a - b);
    this.nodes.push({ id, operation, dependsOn: deps });
    return id;
  }

  /** Adds more prerequisites to an existing node. */
  addDependencies(id: number, dependsOn: ReadonlyArray<number | undefined>): void {
    const node = this.nodes[id - 1];
    const deps = new Set([...node.dependsOn, ...dependsOn.filter((d): d is number => d !== undefined)]);
    node.dependsOn = [...deps].sort((a, b) => a - b);
  }

  build(): Plan {
    return { nodes: this.nodes, warnings: [...this.warnings] };
  }
}

/** `[1,2] -> #3 service:web:1, CreateContainer, not found` per node, then `warning: ...` lines. */
export function renderPlan(plan: Plan): string {
  const lines = plan.nodes.map(
    (n) =>
      `[${n.dependsOn.join(',')}] -> #${n.id} ${n.operation.resource}, ${OperationType[n.operation.type]}, ${n.operation.cause}`,
  );
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * The configuration changes behind the plan's recreates, one block per recreated container:
 * `service:web:1` then `  environment.FOO: "one" -> "two"` (values as JSON, long ones cut).
 */
export function renderPlanDiff(plan: Plan): string {
  const blocks: string[] = [];
  for (const n of plan.nodes) {
    if (n.operation.type !== OperationType.CreateContainer || !n.operation.diff?.length) continue;
    const lines = n.operation.diff.map(
      (d) => `  ${d.field}: ${shownDiffValue(d.before)} -> ${shownDiffValue(d.after)}`,
    );
    blocks.push([n.operation.resource, ...lines].join('\n'));
  }
  return blocks.length ? `${blocks.join('\n')}\n` : '';
}

/** One value of a plan diff: image IDs shortened to 12 hex as Docker shows them, long strings cut outside their quotes. */
export function shownDiffValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value !== 'string') return JSON.stringify(value);
  const short = value.replace(/^sha256:([0-9a-f]{12})[0-9a-f]{52}$/, '$1');
  return short.length > 58 ? `${JSON.stringify(short.slice(0, 55))}...` : JSON.stringify(short);
}

/** True when the plan changes nothing. */
export function isEmptyPlan(plan: Plan): boolean {
  return plan.nodes.length === 0;
}

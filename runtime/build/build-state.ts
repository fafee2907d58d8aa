import type { ContainerService } from '../containers/container-service.js';
import type { EngineContext } from '../context.js';
import type { ImageRecord } from '../contracts.js';
import type { ImageStore } from '../images/image-store.js';
import type { RegistryConfig } from '../registry/registry-auth.js';
import type { BuildCache } from './build-cache.js';
import type { BaseImage, BuildLayers } from './build-layers.js';
import type { BuildOutput } from './build-output.js';
import type { CacheSource } from './cache-from.js';
import { envLookup, type Substitution } from './shell-words.js';

/** The `POST /build` options the executor uses. */
export interface BuildOptions {
  tags: string[];
  /** `--build-arg`: a null value means "take it from the client's environment" (unset here). */
  buildArgs: Record<string, string | null>;
  labels: Record<string, string>;
  target?: string;
  noCache: boolean;
  /**
   * `forcerm=1`: remove a failed step's container too. berth always does; with the flag it says
   * so in the stream, as dockerd does.
   */
  forceRm?: boolean;
  /** `cachefrom`: images whose history may stand in for steps (the classic builder's rule). */
  cacheFrom?: string[];
  /** `pull=1`: fetch base images again even when the store has them. */
  pull: boolean;
  /** `X-Registry-Config`: credentials for the registries base images are pulled from. */
  registryConfig: RegistryConfig;
  networkMode: string;
  /** Resources and hosts of RUN containers (`memory`, `cpushares`, `shmsize`, `extrahosts`, `ulimits`...). */
  runHostConfig: Record<string, unknown>;
}

/** Pulls `ref` from its registry, passing on Docker's JSON progress messages. */
export type PullImage = (
  ref: string,
  progress: (message: Record<string, unknown>) => void,
  options: { registryConfig: RegistryConfig; signal?: AbortSignal },
) => Promise<ImageRecord>;

/** What a build uses from the engine. */
export interface BuildDeps {
  ctx: EngineContext;
  store: () => ImageStore;
  resolve: (ref: string) => Promise<ImageRecord>;
  /**
   * Pulls a base image (`pull=1`, or one not in the store) writing Docker's progress messages;
   * absent until the registry client is wired: then only local images are used.
   */
  pull?: PullImage;
  containers: () => ContainerService | undefined;
  layers: BuildLayers;
  cache: BuildCache;
}

/** One build in progress: its options, output, context and the stages done so far. */
export interface BuildRun {
  deps: BuildDeps;
  options: BuildOptions;
  out: BuildOutput;
  contextRoot: string;
  escape: string;
  signal: AbortSignal;
  /** Finished stages, by index; named ones also by lower-cased name. */
  stages: Map<string, BaseImage>;
  /** Build args some ARG declared (for the "not consumed" warning). */
  consumed: Set<string>;
  /** The `cachefrom` images found in the store (narrowed to one once a step is restored from it). */
  cacheSources: CacheSource[];
}

/** The stage being built: its current image and the ARGs declared in it. */
export interface StageState {
  current: BaseImage;
  args: Map<string, string | undefined>;
}

/** Variables for substitution: the image's ENV wins over the stage's ARGs. */
export function stageVars(stage: StageState): Substitution {
  const env = envLookup(stage.current.config.config.Env ?? []);
  return { lookup: (name) => env.lookup(name) ?? stage.args.get(name) };
}

/** The ARGs with values a step sees, `KEY=value` sorted, minus those ENV overrides. */
export function argsInEffect(stage: StageState): string[] {
  const envKeys = new Set((stage.current.config.config.Env ?? []).map((kv) => kv.split('=', 1)[0]));
  return [...stage.args.entries()]
    .filter(([k, v]) => v !== undefined && !envKeys.has(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort();
}

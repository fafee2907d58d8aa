import { randomBytes } from 'node:crypto';
import { lstat, mkdir } from 'node:fs/promises';
import { resolveInRoot } from '../archive/scoped-path.js';
import type { ContainerImageConfig } from '../contracts.js';
import { internal } from '../errors.js';
import { configBytes } from '../images/image-config.js';
import { containerSnapshotKey } from '../images/image-service.js';
import { cacheKey } from './build-cache.js';
import type { BuildRun, StageState } from './build-state.js';
import { argsInEffect, stageVars } from './build-state.js';
import { findCacheFrom } from './cache-from.js';
import type { Instruction } from './dockerfile-parse.js';
import { commandArgv, DEFAULT_SHELL, metadataStep } from './metadata-step.js';
import { runStep } from './run-step.js';
import { expandWord, type Substitution } from './shell-words.js';

/** What a cached step depends on beyond its instruction. */
export interface StepCacheInputs {
  /** For COPY/ADD: the digest of the sources' content and metadata. */
  sources?: string;
  /** The step's history `created_by`, which `cachefrom` images are matched on (default: the instruction). */
  createdBy?: string;
  /**
   * The config the step's image gets (default: the current one), for an image restored from
   * `cachefrom`; for a config-only step, part of the key.
   */
  config?: ContainerImageConfig;
  /** RUN: the build args in effect (in its environment). Other steps' keys leave args out. */
  args?: readonly string[];
  /** COPY/ADD: what the instruction text does not show expanded (destination, owner). */
  detail?: string;
}

/**
 * A step whose image is reused when the cache has one for the same inputs (parent image,
 * instruction, config, the build args a RUN sees, sources, the config a config-only step
 * gives: as dockerd, an arg no step uses invalidates nothing), or, as the classic builder does, when a `cachefrom`
 * image's history continues the current image's with the same command; otherwise `produce` makes
 * it. Either way the cache learns it.
 */
export async function cachedStep(
  run: BuildRun,
  stage: StageState,
  instruction: string,
  produce: () => Promise<string>,
  inputs: StepCacheInputs = {},
): Promise<void> {
  const store = run.deps.store();
  const key = cacheKey({
    parent: stage.current.id,
    instruction,
    config: stage.current.config.config,
    args: inputs.args ?? [],
    sources: inputs.sources,
    detail: inputs.detail,
    result: inputs.detail === undefined && inputs.sources === undefined ? inputs.config : undefined,
  });
  const exists = (id: string) => store.snapshot.images[id] !== undefined;
  let id = run.options.noCache ? undefined : run.deps.cache.lookup(key, exists);
  if (!id) {
    const restored = run.options.noCache
      ? undefined
      : await fromCacheSources(run, stage, inputs.createdBy ?? instruction, inputs.config);
    id = restored ?? (await produce());
    await run.deps.cache.record(key, id);
    if (restored) run.out.stream(' ---> Using cache\n');
  } else run.out.stream(' ---> Using cache\n');
  run.out.result(id);
  stage.current = { id, config: store.config(id) };
}

/** The step's image from a `cachefrom` source, when one continues the current image with it. */
async function fromCacheSources(
  run: BuildRun,
  stage: StageState,
  createdBy: string,
  config: ContainerImageConfig = stage.current.config.config,
): Promise<string | undefined> {
  const parent = stage.current.id ? stage.current.config : undefined;
  const hit = findCacheFrom(run.cacheSources, parent, createdBy);
  if (!hit) return undefined;
  if (hit.whole) return hit.source.id;
  // Once a step came from a source, later ones follow that source only (as the classic builder).
  run.cacheSources = [hit.source];
  return run.deps.layers.restore(stage.current, hit, config);
}

/**
 * `/bin/sh -c #(nop)  <comment>`: how Docker records a step that ran nothing (COPY and ADD
 * with one space: `#(nop) COPY file:<digest> in <dest> `).
 */
export function nopCreatedBy(
  stage: StageState,
  comment: string,
  separator = '#(nop)  ',
  config: ContainerImageConfig = stage.current.config.config,
): string {
  const shell = config.Shell?.length ? config.Shell : DEFAULT_SHELL;
  return `${shell.join(' ')} ${separator}${comment}`;
}

/**
 * A step that changes only the config, made as dockerd's classic builder reports it: it commits
 * a `#(nop)` container there, so its stream says ` ---> Running in <id>` and `Removing
 * intermediate container <id>`. berth commits without a container; the lines keep the stream the
 * same for whoever reads it, with an ID no container will ever have.
 */
async function nopCommit(run: BuildRun, commit: () => Promise<string>): Promise<string> {
  const id = randomBytes(6).toString('hex');
  run.out.stream(` ---> Running in ${id}\n`);
  const image = await commit();
  run.out.stream(`Removing intermediate container ${id}\n`);
  return image;
}

/** ENV, LABEL, CMD, ... : a new config, an empty layer. */
export async function metadataInstruction(run: BuildRun, stage: StageState, ins: Instruction): Promise<void> {
  const result = metadataStep(ins, stage.current.config.config, stageVars(stage), run.escape);
  // WORKDIR is recorded as a container step in Docker: one space after `#(nop)`.
  // The shell named is the step's new config's, as dockerd commits it (SHELL names the new shell).
  const createdBy = nopCreatedBy(
    stage,
    result.comment,
    ins.cmd === 'workdir' ? '#(nop) ' : undefined,
    result.config,
  );
  if (ins.cmd === 'workdir') {
    await cachedStep(
      run,
      stage,
      createdBy,
      () => nopCommit(run, () => workdirLayer(run, stage, result.config, createdBy)),
      { config: result.config },
    );
    return;
  }
  await cachedStep(
    run,
    stage,
    createdBy,
    () =>
      nopCommit(run, () =>
        run.deps.layers.commit(stage.current, undefined, result.config, createdBy, result.author),
      ),
    { config: result.config },
  );
}

/**
 * WORKDIR creates its directory (root's, 0755) as Docker does, so later steps and containers
 * find it; when it already exists the diff is empty and the step records an empty layer.
 */
async function workdirLayer(
  run: BuildRun,
  stage: StageState,
  config: ContainerImageConfig,
  createdBy: string,
): Promise<string> {
  const base = stage.current;
  const key = await run.deps.layers.writable(base.id, async (root) => {
    const dir = await resolveInRoot(root, config.WorkingDir ?? '/');
    if (!(await lstat(dir).catch(() => undefined))) await mkdir(dir, { recursive: true, mode: 0o755 });
  });
  try {
    return await run.deps.layers.commit(base, key, config, createdBy);
  } finally {
    await run.deps.layers.drop(key);
  }
}

/** `ARG NAME[=default]`: declares the arg in the stage (its value from --build-arg or the default). */
export async function argInstruction(
  run: BuildRun,
  stage: StageState,
  ins: Instruction,
  metaArgs: Map<string, string | undefined>,
): Promise<void> {
  const declared = declareArgs(run, ins, stageVars(stage), metaArgs);
  for (const [k, v] of declared) stage.args.set(k, v);
  // History shows the ARG as declared (its default), not the value given with --build-arg.
  const comment = `ARG ${ins.rest.split(/\s+/).filter(Boolean).join(' ')}`;
  const createdBy = nopCreatedBy(stage, comment);
  const config = stage.current.config.config;
  await cachedStep(run, stage, createdBy, () =>
    nopCommit(run, () => run.deps.layers.commit(stage.current, undefined, config, createdBy)),
  );
}

/** The (name, value) pairs of an ARG line: --build-arg wins, then the default, then a meta ARG's value. */
export function declareArgs(
  run: BuildRun,
  ins: Instruction,
  vars: Substitution,
  metaArgs: Map<string, string | undefined>,
): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  for (const word of ins.rest.split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const fallback = eq < 0 ? metaArgs.get(name) : expandWord(word.slice(eq + 1), vars, run.escape);
    const given = run.options.buildArgs[name];
    run.consumed.add(name);
    out.push([name, typeof given === 'string' ? given : fallback]);
  }
  return out;
}

/** `RUN`: the command in a build container; its filesystem changes become the layer. */
export async function runInstruction(run: BuildRun, stage: StageState, ins: Instruction): Promise<void> {
  const containers = run.deps.containers();
  if (!containers) throw internal('the container subsystem is not running');
  const config = stage.current.config.config;
  const argv = commandArgv(ins, config.Shell);
  const args = argsInEffect(stage);
  const createdBy = `${args.length ? `|${args.length} ${args.join(' ')} ` : ''}${argv.join(' ')}`;
  await cachedStep(
    run,
    stage,
    createdBy,
    async () => {
      if (!stage.current.id) {
        // RUN on scratch: the empty image must exist for a container to be made from it.
        const id = await run.deps.store().addImage(configBytes(stage.current.config), []);
        stage.current = { id, config: stage.current.config };
      }
      const base = stage.current;
      return runStep(
        containers,
        {
          imageId: base.id as string,
          argv,
          config: { ...config, Env: [...(config.Env ?? []), ...args] },
          networkMode: run.options.networkMode,
          hostConfig: run.options.runHostConfig,
          print: (text) => run.out.stream(text),
          forceRemove: run.options.forceRm,
          signal: run.signal,
        },
        (containerId) => run.deps.layers.commit(base, containerSnapshotKey(containerId), config, createdBy),
      );
    },
    { args },
  );
}

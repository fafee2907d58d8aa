import type { ImageRecord } from '../contracts.js';
import { EngineError, invalid } from '../errors.js';
import { familiarKey, parseReference, referenceKey, withDefaultTag } from '../images/reference.js';
import { type BaseImage, scratchConfig } from './build-layers.js';
import type { BuildOutput } from './build-output.js';
import type { BuildDeps, BuildOptions, BuildRun, PullImage, StageState } from './build-state.js';
import { argInstruction, declareArgs, metadataInstruction, runInstruction } from './build-step.js';
import type { CacheSource } from './cache-from.js';
import { copyInstruction } from './copy-step.js';
import { type Dockerfile, type Instruction, parseInstruction, splitRaw } from './dockerfile-parse.js';
import { expandWord } from './shell-words.js';

/** Build args Docker accepts without an ARG (proxies): never reported as unused. */
const PREDEFINED_ARGS = new Set(
  ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((n) => [n, n.toLowerCase()]),
);

/** A stage of the Dockerfile: its FROM and what follows up to the next FROM. */
interface StagePlan {
  from: Instruction;
  body: Instruction[];
}

/** Splits the instructions into meta ARGs and stages; the stages after `target` are dropped. */
export function planStages(file: Dockerfile, target?: string): { meta: Instruction[]; stages: StagePlan[] } {
  const meta: Instruction[] = [];
  const stages: StagePlan[] = [];
  for (const ins of file.instructions) {
    if (ins.cmd === 'from') stages.push({ from: ins, body: [] });
    else if (stages.length > 0) stages[stages.length - 1]?.body.push(ins);
    else if (ins.cmd === 'arg') meta.push(ins);
    else
      throw invalid(
        `dockerfile parse error line ${ins.line}: ${ins.cmd.toUpperCase()} before the first FROM: only ARG may come before FROM`,
      );
  }
  if (stages.length === 0) throw invalid('No build stage in current context');
  if (target === undefined || target === '') return { meta, stages };
  const index = stages.findIndex((s) => stageName(s.from)?.toLowerCase() === target.toLowerCase());
  if (index < 0) throw invalid(`failed to reach build target ${target} in Dockerfile`);
  return { meta, stages: stages.slice(0, index + 1) };
}

/**
 * `labels` of the build as dockerd adds them: one `LABEL key=value` step per label, sorted by
 * key, the value taken literally (no substitution). Pure.
 */
export function labelInstructions(labels: Record<string, string>, esc = '\\'): Instruction[] {
  // Double quotes keep spaces; escaping the escape character, `"` and `$` keeps the text literal.
  const literal = (s: string) =>
    `"${[...s].map((c) => (c === esc || c === '"' || c === '$' ? esc + c : c)).join('')}"`;
  return Object.keys(labels)
    .sort()
    .map((key) => {
      const value = labels[key] ?? '';
      return {
        ...parseInstruction(`LABEL ${literal(key)}=${literal(value)}`, 0),
        original: `LABEL ${key}=${value}`,
      };
    });
}

/** The `AS name` of a FROM line. */
function stageName(from: Instruction): string | undefined {
  const words = splitRaw(from.rest, '\\');
  return words.length === 3 && words[1]?.toLowerCase() === 'as' ? words[2] : undefined;
}

/** Checks `t` references before anything runs; returns their normalized keys. */
export function tagKeys(tags: readonly string[]): string[] {
  return tags.map((t) => referenceKey(withDefaultTag(parseReference(t))));
}

/**
 * Runs a parsed Dockerfile: every stage up to the target, each instruction a step printed as
 * Docker's classic builder does; returns the final image's ID (tagged as asked).
 */
export async function executeBuild(
  deps: BuildDeps,
  file: Dockerfile,
  contextRoot: string,
  options: BuildOptions,
  out: BuildOutput,
  signal: AbortSignal,
): Promise<string> {
  const keys = tagKeys(options.tags);
  const { meta, stages } = planStages(file, options.target);
  const labels = labelInstructions(options.labels, file.escape);
  const total = meta.length + stages.reduce((n, s) => n + 1 + s.body.length, 0) + labels.length;
  const run: BuildRun = {
    deps,
    options,
    out,
    contextRoot,
    escape: file.escape,
    signal,
    stages: new Map(),
    consumed: new Set(),
    cacheSources: cacheSources(deps, options.cacheFrom ?? []),
  };
  let n = 0;
  const step = (ins: Instruction) => {
    if (signal.aborted) throw invalid('the build was cancelled');
    // As written (Docker prints the instruction's source text, keyword case included).
    out.step(++n, total, ins.original);
  };
  const metaArgs = new Map<string, string | undefined>();
  const noVars = { lookup: (k: string) => metaArgs.get(k) };
  for (const ins of meta) {
    step(ins);
    for (const [k, v] of declareArgs(run, ins, noVars, new Map())) metaArgs.set(k, v);
  }
  let last: StageState | undefined;
  for (const [index, plan] of stages.entries()) {
    step(plan.from);
    const stage = await fromInstruction(run, plan.from, metaArgs);
    for (const ins of plan.body) {
      step(ins);
      await dispatch(run, stage, ins, metaArgs);
    }
    if (index === stages.length - 1) {
      for (const ins of labels) {
        step(ins);
        await dispatch(run, stage, ins, metaArgs);
      }
    }
    if (index < stages.length - 1 && stage.current.id) out.stageBuilt(stage.current.id);
    run.stages.set(String(index), stage.current);
    const name = stageName(plan.from);
    if (name) run.stages.set(name.toLowerCase(), stage.current);
    last = stage;
  }
  const final = finalImage(last?.current);
  const unused = Object.keys(options.buildArgs).filter(
    (k) => !run.consumed.has(k) && !PREDEFINED_ARGS.has(k),
  );
  if (unused.length) out.stream(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
  const store = deps.store();
  for (const key of keys) {
    await store.tag(final, key);
    deps.ctx.events.emit('image', 'tag', final, { name: familiarKey(key) });
  }
  out.built(final, keys.map(familiarKey));
  return final;
}

async function fromInstruction(
  run: BuildRun,
  ins: Instruction,
  metaArgs: Map<string, string | undefined>,
): Promise<StageState> {
  const words = splitRaw(ins.rest, run.escape);
  if (words.length !== 1 && !(words.length === 3 && words[1]?.toLowerCase() === 'as')) {
    throw invalid(`FROM requires either one or three arguments (line ${ins.line})`);
  }
  const ref = expandWord(words[0] ?? '', { lookup: (k) => metaArgs.get(k) }, run.escape);
  if (ref === '') throw invalid(`base name (${words[0]}) should not be blank`);
  let base: BaseImage;
  const previous = run.stages.get(ref.toLowerCase());
  if (ref.toLowerCase() === 'scratch') base = { config: scratchConfig(run.deps.ctx.now()) };
  else if (previous && !/^\d+$/.test(ref)) base = previous;
  else {
    const image = await baseImage(run, ref);
    base = { id: image.id, config: image.config };
  }
  const stage: StageState = { current: base, args: new Map() };
  const triggers = base.config.config.OnBuild ?? [];
  // As dockerd: a base with triggers announces them instead of printing its own ID.
  if (triggers.length === 0) run.out.result(base.id);
  else {
    run.out.stream(`# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}`);
    run.out.stream('\n');
    // Triggers run once, in the child: the image the stage makes does not inherit them.
    stage.current = {
      ...base,
      config: { ...base.config, config: { ...base.config.config, OnBuild: undefined } },
    };
    for (const text of triggers) await dispatch(run, stage, parseInstruction(text, ins.line), metaArgs);
  }
  if (!stage.current.config.config.Env?.some((kv) => kv.startsWith('PATH='))) {
    const config = {
      ...stage.current.config.config,
      Env: [...(stage.current.config.config.Env ?? []), `PATH=${DEFAULT_PATH}`],
    };
    stage.current = { ...stage.current, config: { ...stage.current.config, config } };
  }
  return stage;
}

/** A base image from the store; pulled first with `pull=1`, or when missing (when a puller is wired). */
async function baseImage(run: BuildRun, ref: string): Promise<ImageRecord> {
  const puller = run.deps.pull;
  const pull = () =>
    (puller as PullImage)(ref, (message) => run.out.message(message), {
      registryConfig: run.options.registryConfig,
      signal: run.signal,
    });
  if (puller && run.options.pull) return pull();
  try {
    return await run.deps.resolve(ref);
  } catch (err) {
    if (!puller || !(err instanceof EngineError) || err.kind !== 'not-found') throw err;
    return pull();
  }
}

/**
 * The `cachefrom` images the store has; like dockerd, a reference it does not know is skipped
 * (the build goes on without it) and said in the engine's log.
 */
function cacheSources(deps: BuildDeps, refs: readonly string[]): CacheSource[] {
  const store = deps.store();
  const out: CacheSource[] = [];
  for (const ref of refs) {
    try {
      const id = store.resolveId(ref);
      out.push({ id, config: store.config(id) });
    } catch (err) {
      deps.ctx.log('warn', 'cache-from image not found; skipped', { ref, error: String(err) });
    }
  }
  return out;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

async function dispatch(
  run: BuildRun,
  stage: StageState,
  ins: Instruction,
  metaArgs: Map<string, string | undefined>,
): Promise<void> {
  switch (ins.cmd) {
    case 'run':
      return runInstruction(run, stage, ins);
    case 'copy':
    case 'add':
      return copyInstruction(run, stage, ins);
    case 'arg':
      return argInstruction(run, stage, ins, metaArgs);
    case 'from':
      throw invalid('FROM inside a stage');
    default:
      return metadataInstruction(run, stage, ins);
  }
}

/**
 * The image a build ends with: the last step's (a stage with only a FROM ends with its base, as
 * in Docker; defaults applied in memory, such as PATH, wait for a step to be recorded).
 */
function finalImage(current: BaseImage | undefined): string {
  if (!current?.id) throw invalid('No image was generated. Is your Dockerfile empty?');
  return current.id;
}

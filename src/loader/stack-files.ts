import { applyExtends } from './extends.js';
import { applyInclude, type IncludeRequest } from './include.js';
import { interpolateTree } from './interpolation/interpolate-tree.js';
import type { Lookup } from './interpolation/template.js';
import { mergeTrees } from './merge/merge-trees.js';
import { stripMergeTags } from './merge-tags.js';
import { parseStackYaml, type YamlReader } from './parse-yaml.js';
import type { Mapping } from './plain-tree.js';
import { defaultEnvFile, readEnvFiles, readTextFile } from './read-files.js';

/** How the files of one stack are read: the variables, and how file names are shown. */
export interface StackEnvironment {
  lookup: Lookup;
  /** False for `--no-interpolate`. */
  interpolate: boolean;
  /** Hears of variables used without a value, with where. */
  onUnset?: (name: string, location: string | undefined) => void;
  /** The name a file is shown under in positions and messages. */
  display(path: string): string;
  /** Which YAML reader parses the files (`BERTH_YAML`); `auto` unless set. */
  yamlReader?: YamlReader;
}

/** Stage 2 for one file: the parsed tree, positions recorded under the file's display name. */
export function parseStackFile(text: string, path: string, env: StackEnvironment): Mapping {
  return parseStackYaml(text, env.display(path), env.yamlReader);
}

/**
 * Stages 3–4 for one parsed file: interpolate (and cast), apply `include`, then `extends`
 * (includes first, so extended services can come from included files). `dir` is the directory
 * its relative paths are relative to. `chain` holds the files including this one.
 */
export function loadStackFile(
  parsed: Mapping,
  path: string,
  dir: string,
  env: StackEnvironment,
  chain: readonly string[] = [],
): Mapping {
  let tree = interpolated(parsed, env);
  tree = applyInclude(tree, {
    file: path,
    dir,
    chain,
    display: env.display,
    loadIncluded: (request, innerChain) => loadIncludedStack(request, env, innerChain),
  });
  const extended = new Map<string, Mapping>();
  return applyExtends(tree, {
    file: path,
    dir,
    display: env.display,
    loadFile: (other, referencedFrom) => {
      let loaded = extended.get(other);
      if (!loaded) {
        loaded = interpolated(parseStackFile(readTextFile(other, referencedFrom), other, env), env);
        extended.set(other, loaded);
      }
      return loaded;
    },
  });
}

/** Merges the files of a stack in order (later files override earlier ones). */
export function mergeStack(trees: Mapping[]): Mapping {
  const [first = {}, ...rest] = trees;
  return rest.reduce((merged, next) => mergeTrees(merged, next), stripMergeTags(first) as Mapping);
}

function interpolated(tree: Mapping, env: StackEnvironment): Mapping {
  return interpolateTree(tree, { lookup: env.lookup, onUnset: env.onUnset, substitute: env.interpolate });
}

/**
 * An included stack: its own environment files (or its project directory's `.env`) under the
 * including stack's variables, its files loaded and merged, relative to its project directory.
 */
function loadIncludedStack(
  request: IncludeRequest,
  env: StackEnvironment,
  chain: readonly string[],
): Mapping {
  const dotenv = defaultEnvFile(request.projectDirectory);
  const envFiles = request.envFiles.length > 0 ? request.envFiles : dotenv ? [dotenv] : [];
  const vars = readEnvFiles(envFiles, env.lookup, env.display);
  const lookup: Lookup = (name) => env.lookup(name) ?? (Object.hasOwn(vars, name) ? vars[name] : undefined);
  const inner: StackEnvironment = { ...env, lookup };
  const trees = request.paths.map((p) =>
    loadStackFile(
      parseStackFile(readTextFile(p, request.location), p, inner),
      p,
      request.projectDirectory,
      inner,
      chain,
    ),
  );
  return mergeStack(trees);
}

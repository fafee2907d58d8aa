import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { BerthError } from '../errors/kinds.js';
import { interpolateTree } from './interpolation/interpolate-tree.js';
import { untag } from './merge-tags.js';
import { carryPosition, childPosition, toPositionIndex } from './node-positions.js';
import type { NormalizeContext } from './normalize/context.js';
import type { LoadOptions } from './options.js';
import type { YamlReader } from './parse-yaml.js';
import { getKey, type Mapping } from './plain-tree.js';
import { resolveProjectName } from './project-name.js';
import {
  defaultEnvFile,
  discoverStackFiles,
  envFileReader,
  processEnvironment,
  readEnvFiles,
  readStackSources,
} from './read-files.js';
import { loadStackFile, mergeStack, parseStackFile, type StackEnvironment } from './stack-files.js';
import { formatPosition, type PositionIndex } from './tree-path.js';

/** The merged, interpolated stack before validation, with everything normalization needs. */
export interface LoadedTree {
  /** The merged document: plain data, no `include`/`extends`, no `!reset`/`!override`. */
  tree: Mapping;
  /** Where each node of `tree` was written. */
  positions: PositionIndex;
  /** Project name, directory, files, variables and profiles, as normalization takes them. */
  context: NormalizeContext;
}

/**
 * Stages 1–4: finds and reads the stack files, builds the interpolation environment (process
 * environment over `--env-file` or the project directory's `.env`), loads each file (parse,
 * interpolate, include, extends), merges them in order and resolves the project name and
 * profiles.
 */
export async function loadTree(options: LoadOptions = {}): Promise<LoadedTree> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const processEnv = processEnvironment(options);
  const projectDirectory = options.projectDirectory ? resolve(cwd, options.projectDirectory) : undefined;
  const fromProcess = (name: string) => (Object.hasOwn(processEnv, name) ? processEnv[name] : undefined);

  const display = (path: string) => displayPath(path, cwd);
  const files = options.files?.length
    ? options.files
    : composeFileVariable(projectDirectory ?? cwd, processEnv, display);
  const names = files ?? discoverStackFiles(projectDirectory ?? cwd, options.onWarning);
  const sources = await readStackSources(names, { ...options, cwd });
  const firstFile = sources.find((s) => s.path !== '-')?.path;
  const workingDir = projectDirectory ?? (firstFile ? dirname(firstFile) : cwd);

  const envFiles = environmentFiles(options, processEnv, cwd, workingDir);
  const environment: Record<string, string> = {
    ...readEnvFiles(envFiles, fromProcess, display),
    ...processEnv,
  };
  const variable = (name: string) => (Object.hasOwn(environment, name) ? environment[name] : undefined);
  const env: StackEnvironment = {
    lookup: variable,
    interpolate: options.interpolate !== false,
    onUnset: (name, location) =>
      options.onWarning?.(
        `${location ? `${location}: ` : ''}the "${name}" variable is not set, defaulting to a blank string`,
      ),
    display,
    yamlReader: yamlReader(processEnv),
  };
  const parsed = sources.map((s) => parseStackFile(s.text, s.path, env));
  const projectName = resolveProjectName({
    flag: options.projectName,
    environment: variable('COMPOSE_PROJECT_NAME'),
    fromFile: declaredName(parsed, env),
    workingDir,
  });
  // As in Compose, the files can use the resolved name as ${COMPOSE_PROJECT_NAME}.
  const lookup = (name: string) => (name === 'COMPOSE_PROJECT_NAME' ? projectName : variable(name));
  const withName: StackEnvironment = { ...env, lookup };
  // As in Compose, relative paths in every -f file (and their include/extends references) are
  // relative to the project directory, not to the file that holds them.
  const trees = parsed.map((tree, i) => loadStackFile(tree, sources[i]!.path, workingDir, withName));
  const tree = mergeStack(trees);
  const positions = toPositionIndex(tree);
  if (Object.hasOwn(tree, 'version')) {
    const at = positions.get(['version']);
    options.onWarning?.(
      `${at ? `${formatPosition(at)}: ` : ''}the top-level "version" is obsolete and ignored`,
    );
  }
  const profiles = [...(options.profiles ?? []), ...(lookup('COMPOSE_PROFILES') ?? '').split(',')]
    .map((p) => p.trim())
    .filter((p, i, all) => p !== '' && all.indexOf(p) === i);

  return {
    tree,
    positions,
    context: {
      projectName,
      workingDir,
      configFiles: sources.map((s) => s.path),
      environment,
      profiles,
      positions,
      readEnvFile: envFileReader(workingDir, lookup, display),
      warn: options.onWarning,
    },
  };
}

/** `BERTH_YAML`: `library` makes the `yaml` library read every file; unset or `auto`, the fast path first. */
function yamlReader(processEnv: Record<string, string>): YamlReader {
  const value = processEnv.BERTH_YAML ?? '';
  if (value === '' || value === 'auto') return 'auto';
  if (value === 'library') return 'library';
  throw new BerthError('invalid', `BERTH_YAML must be "auto" or "library", not "${value}"`, {
    location: 'BERTH_YAML',
  });
}

/**
 * `--env-file` (relative to the current directory), else `COMPOSE_ENV_FILES` (comma-separated,
 * as Compose reads it), else the project directory's `.env` when there is one.
 */
function environmentFiles(
  options: LoadOptions,
  processEnv: Record<string, string>,
  cwd: string,
  workingDir: string,
): string[] {
  if (options.envFiles?.length) return options.envFiles.map((f) => resolve(cwd, f));
  const fromVariable = (processEnv.COMPOSE_ENV_FILES ?? '').split(',').filter((f) => f.trim() !== '');
  if (fromVariable.length) return fromVariable.map((f) => resolve(cwd, f.trim()));
  const dotenv = defaultEnvFile(workingDir);
  return dotenv ? [dotenv] : [];
}

/** The top-level `name:` of the last file that sets one, interpolated, with where it was written. */
function declaredName(parsed: Mapping[], env: StackEnvironment): { value: unknown; location?: string } {
  for (const tree of [...parsed].reverse()) {
    if (!Object.hasOwn(tree, 'name')) continue;
    const only: Mapping = { name: getKey(tree, 'name') };
    carryPosition(tree, 'name', only, 'name');
    const pos = childPosition(tree, 'name');
    // Interpolated even under --no-interpolate: the project still needs its real name.
    const value = interpolateTree(only, { lookup: env.lookup }).name;
    return { value: untag(value), location: pos ? formatPosition(pos) : undefined };
  }
  return { value: undefined };
}

/** `COMPOSE_FILE` from the process environment or the directory's `.env`, split on `COMPOSE_PATH_SEPARATOR`. */
function composeFileVariable(
  dir: string,
  processEnv: Record<string, string>,
  display: (path: string) => string,
): string[] | undefined {
  let value = processEnv.COMPOSE_FILE;
  let separator = processEnv.COMPOSE_PATH_SEPARATOR;
  if (value === undefined) {
    const dotenv = defaultEnvFile(dir);
    const vars = dotenv ? readEnvFiles([dotenv], (n) => processEnv[n], display) : {};
    value = vars.COMPOSE_FILE;
    separator ??= vars.COMPOSE_PATH_SEPARATOR;
  }
  if (!value) return undefined;
  return value
    .split(separator || ':')
    .filter((f) => f !== '')
    .map((f) => resolve(dir, f));
}

/** Files under the current directory are shown relative to it (`compose.yaml:12:7`), others absolute. */
function displayPath(path: string, cwd: string): string {
  if (path === '-') return 'stdin';
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

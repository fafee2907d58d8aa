import { dirname, resolve } from 'node:path';
import { BerthError } from '../errors/kinds.js';
import { carryPosition, copyMapping, locate } from './node-positions.js';
import { describeType, getKey, isMapping, type Mapping, putKey } from './plain-tree.js';
import { rebaseTree } from './rebase-paths.js';
import { formatPosition } from './tree-path.js';

/** One `include:` entry in long form, paths absolute. */
export interface IncludeRequest {
  /** The files to load, merged in order like several `-f`. */
  paths: string[];
  /** Where the included files' relative paths point from. */
  projectDirectory: string;
  /** `env_file` of the entry; empty means the project directory's `.env`. */
  envFiles: string[];
  /** `file:line:col` of the entry. */
  location: string | undefined;
}

/** Where a tree came from, and how to load what it includes. */
export interface IncludeContext {
  /** The including file (absolute, or `-`). */
  file: string;
  /** The directory its relative paths are relative to. */
  dir: string;
  /** The name a file is shown under in messages. */
  display(path: string): string;
  /** The files being included above this one, outermost first, to report cycles. */
  chain: readonly string[];
  /** Loads and fully resolves an included stack (its own includes and extends applied, files merged). */
  loadIncluded(request: IncludeRequest, chain: readonly string[]): Mapping;
}

const RESOURCE_SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs'];

/**
 * Applies `include:`: each entry's files are loaded as a stack of their own (relative paths
 * resolved from its project directory, then rebased to this file's directory) and their
 * services, networks, volumes, secrets and configs are added. A resource defined differently on
 * both sides is an error, as in Compose; an include cycle is reported with its chain.
 */
export function applyInclude(tree: Mapping, ctx: IncludeContext): Mapping {
  if (!Object.hasOwn(tree, 'include')) return tree;
  const out = copyMapping(tree, ['include']);
  const chain = [...ctx.chain, ctx.file];
  for (const request of includeRequests(tree, ctx.dir)) {
    const looped = request.paths.find((p) => chain.includes(p));
    if (looped) {
      const names = [...chain.slice(chain.indexOf(looped)), looped];
      throw new BerthError('invalid', `include cycle: ${names.map(ctx.display).join(' -> ')}`, {
        location: request.location,
      });
    }
    const included = rebaseTree(ctx.loadIncluded(request, chain), request.projectDirectory, ctx.dir);
    const from = request.paths.map(ctx.display).join(', ');
    for (const section of RESOURCE_SECTIONS) importSection(out, included, section, request, from);
  }
  return out;
}

function importSection(
  target: Mapping,
  included: Mapping,
  section: string,
  request: IncludeRequest,
  from: string,
): void {
  const incoming = getKey(included, section);
  if (!isMapping(incoming) || Object.keys(incoming).length === 0) return;
  const existing = getKey(target, section);
  const merged = isMapping(existing) ? copyMapping(existing) : {};
  for (const [name, value] of Object.entries(incoming)) {
    const mine = getKey(merged, name);
    if (mine !== undefined && canonical(mine) !== canonical(value)) {
      throw new BerthError(
        'invalid',
        `${section}.${name} is defined both here and in included ${from}, differently`,
        { location: request.location, path: `${section}.${name}` },
      );
    }
    if (mine !== undefined) continue;
    carryPosition(incoming, name, merged, name);
    putKey(merged, name, value);
  }
  carryPosition(included, section, target, section);
  putKey(target, section, merged);
}

/** JSON with sorted keys, to compare definitions regardless of key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    isMapping(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** The entries of `include:`, short (`- path`) or long syntax, with paths made absolute. */
export function includeRequests(tree: Mapping, dir: string): IncludeRequest[] {
  const list = getKey(tree, 'include');
  const here = (container: object, key: string | number) => {
    const pos = locate(container, key);
    return pos ? formatPosition(pos) : undefined;
  };
  if (list === null) return [];
  if (!Array.isArray(list)) {
    throw new BerthError('invalid', `must be a sequence, not ${describeType(list)}`, {
      location: here(tree, 'include'),
      path: 'include',
    });
  }
  return list.map((entry, i) => {
    const location = here(list, i);
    const fail = (message: string): never => {
      throw new BerthError('invalid', message, { location, path: `include[${i}]` });
    };
    const strings = (value: unknown, what: string): string[] => {
      const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
      return items.map((v) =>
        typeof v === 'string' ? resolve(dir, v) : fail(`${what} must be a path or a list of paths`),
      );
    };
    if (typeof entry === 'string')
      return {
        paths: [resolve(dir, entry)],
        projectDirectory: dirname(resolve(dir, entry)),
        envFiles: [],
        location,
      };
    if (!isMapping(entry)) return fail(`must be a path or a mapping, not ${describeType(entry)}`);
    for (const key of Object.keys(entry)) {
      if (!['path', 'project_directory', 'env_file'].includes(key))
        fail(`additional property "${key}" is not allowed`);
    }
    const paths = strings(getKey(entry, 'path'), '"path"');
    if (paths.length === 0) fail('"path" is required');
    const projectDir = getKey(entry, 'project_directory');
    if (projectDir !== undefined && typeof projectDir !== 'string')
      fail('"project_directory" must be a path');
    const projectDirectory = typeof projectDir === 'string' ? resolve(dir, projectDir) : dirname(paths[0]!);
    return { paths, projectDirectory, envFiles: strings(getKey(entry, 'env_file'), '"env_file"'), location };
  });
}

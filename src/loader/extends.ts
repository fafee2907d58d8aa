import { dirname, resolve } from 'node:path';
import { BerthError } from '../errors/kinds.js';
import { mergeMappings } from './merge/merge-trees.js';
import { stripMergeTags } from './merge-tags.js';
import { carryPosition, copyMapping, copyOwnPosition, locate } from './node-positions.js';
import { describeType, getKey, isMapping, type Mapping, putKey } from './plain-tree.js';
import { rebaseService } from './rebase-paths.js';
import { formatPath, formatPosition } from './tree-path.js';

/** Where a tree came from, and how to read the other files its services extend. */
export interface ExtendsContext {
  /** The file the tree was read from (absolute, or `-`). */
  file: string;
  /** The directory its relative paths are relative to. */
  dir: string;
  /** The name a file is shown under in messages. */
  display(path: string): string;
  /** Parses and interpolates another stack file; `referencedFrom` locates the reference. */
  loadFile(path: string, referencedFrom: string | undefined): Mapping;
}

interface Frame {
  tree: Mapping;
  file: string;
  dir: string;
}

/**
 * Resolves `extends` in every service of `tree`: the base service (from the same file, or from
 * `file:` relative to this file's directory, its own `extends` resolved first) is merged under the
 * service with the same rules as multiple files, and paths of a base from another directory are
 * rebased. A cycle fails with its chain; a missing base fails at the `extends` that names it.
 */
export function applyExtends(tree: Mapping, ctx: ExtendsContext): Mapping {
  const services = getKey(tree, 'services');
  if (
    !isMapping(services) ||
    !Object.values(services).some((s) => isMapping(s) && Object.hasOwn(s, 'extends'))
  ) {
    return tree;
  }
  const done = new Map<string, Mapping>();
  const root: Frame = { tree, file: ctx.file, dir: ctx.dir };

  const resolveService = (frame: Frame, name: string, chain: string[], from?: string): Mapping => {
    const id = `${frame.file}#${name}`;
    const cached = done.get(id);
    if (cached) return cached;
    const all = getKey(frame.tree, 'services');
    const service = isMapping(all) ? getKey(all, name) : undefined;
    if (!isMapping(service)) {
      const problem =
        service === undefined ? 'is not defined' : `must be a mapping, not ${describeType(service)}`;
      throw new BerthError('invalid', `service "${name}" ${problem} in ${ctx.display(frame.file)}`, {
        location: from,
        service: name,
      });
    }
    if (chain.includes(id)) {
      const names = [...chain.slice(chain.indexOf(id)), id].map((c) => showService(c, ctx));
      throw new BerthError('invalid', `extends cycle: ${names.join(' -> ')}`, {
        location: from,
        service: name,
      });
    }
    if (!Object.hasOwn(service, 'extends')) return service;
    const where = locate(service, 'extends');
    const location = where ? formatPosition(where) : undefined;
    const path = ['services', name, 'extends'];
    const { base: baseName, file } = parseExtends(
      getKey(service, 'extends'),
      location,
      formatPath(path),
      name,
    );
    let baseFrame = frame;
    if (file !== undefined) {
      const target = resolve(frame.dir, file);
      baseFrame = { tree: ctx.loadFile(target, location), file: target, dir: dirname(target) };
    }
    let base = resolveService(baseFrame, baseName, [...chain, id], location);
    base = rebaseService(stripMergeTags(base) as Mapping, baseFrame.dir, frame.dir);
    const merged = copyOwnPosition(
      service,
      mergeMappings(base, copyMapping(service, ['extends']), ['services', name]),
    );
    done.set(id, merged);
    return merged;
  };

  const out: Mapping = {};
  for (const name of Object.keys(services)) {
    const service = getKey(services, name);
    carryPosition(services, name, out, name);
    putKey(out, name, isMapping(service) ? resolveService(root, name, []) : service);
  }
  const result = copyMapping(tree);
  result.services = copyOwnPosition(services, out);
  return result;
}

function parseExtends(value: unknown, location: string | undefined, path: string, service: string) {
  const fail = (message: string): never => {
    throw new BerthError('invalid', message, { location, path, service });
  };
  if (typeof value === 'string') return { base: value };
  if (!isMapping(value)) return fail(`must be a service name or a mapping, not ${describeType(value)}`);
  for (const key of Object.keys(value)) {
    if (key !== 'service' && key !== 'file') fail(`additional property "${key}" is not allowed`);
  }
  const base = getKey(value, 'service');
  const file = getKey(value, 'file');
  if (typeof base !== 'string') return fail('"service" must name the service to extend');
  if (file !== undefined && typeof file !== 'string') return fail('"file" must be a path');
  return { base, file: file as string | undefined };
}

/** `web` for a service of the extending file, `common/base.yaml#web` for one of another file. */
function showService(id: string, ctx: ExtendsContext): string {
  const cut = id.lastIndexOf('#');
  const file = id.slice(0, cut);
  return file === ctx.file ? id.slice(cut + 1) : `${ctx.display(file)}#${id.slice(cut + 1)}`;
}

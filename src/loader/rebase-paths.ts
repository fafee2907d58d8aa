import { isAbsolute, relative, resolve } from 'node:path';
import { carryPosition, copyMapping, copyOwnPosition } from './node-positions.js';
import { getKey, isMapping, type Mapping, putKey } from './plain-tree.js';

/**
 * Relative paths in a service are relative to the file that wrote them. When a service moves
 * into another file's context (extends from another directory, include), its relative paths are
 * rewritten to stay pointing at the same place from the new directory. Pure path arithmetic.
 */

/** `p` as seen from `toDir`, when it was written relative to `fromDir`. */
export function rebasePath(p: string, fromDir: string, toDir: string): string {
  if (isAbsolute(p) || p.startsWith('~') || isRemote(p)) return p;
  const rel = relative(toDir, resolve(fromDir, p)) || '.';
  return rel.startsWith('.') || isAbsolute(rel) ? rel : `./${rel}`;
}

/** URLs and git references are not paths. */
function isRemote(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('git@') || p.startsWith('github.com/');
}

/** A copy of `service` whose relative paths point at the same places from `toDir`. */
export function rebaseService(service: Mapping, fromDir: string, toDir: string): Mapping {
  if (fromDir === toDir) return service;
  const move = (p: unknown) => (typeof p === 'string' ? rebasePath(p, fromDir, toDir) : p);
  const out = copyMapping(service);
  const build = getKey(service, 'build');
  if (typeof build === 'string') out.build = move(build);
  else if (isMapping(build) && typeof getKey(build, 'context') === 'string') {
    out.build = { ...copyMapping(build), context: move(getKey(build, 'context')) };
    carryPosition(build, 'context', out.build as Mapping, 'context');
  }
  for (const key of ['env_file', 'label_file']) {
    const value = getKey(service, key);
    if (value === undefined) continue;
    out[key] = mapList(value, (item) =>
      isMapping(item) ? { ...item, path: move(getKey(item, 'path')) } : move(item),
    );
  }
  const volumes = getKey(service, 'volumes');
  if (Array.isArray(volumes)) out.volumes = mapList(volumes, (v) => rebaseVolume(v, move));
  return out;
}

/** A copy of a whole stack tree with its services' and its secrets'/configs' files rebased. */
export function rebaseTree(tree: Mapping, fromDir: string, toDir: string): Mapping {
  if (fromDir === toDir) return tree;
  const out = copyMapping(tree);
  const services = getKey(tree, 'services');
  if (isMapping(services)) {
    out.services = mapValues(services, (s) => (isMapping(s) ? rebaseService(s, fromDir, toDir) : s));
  }
  for (const section of ['secrets', 'configs']) {
    const defs = getKey(tree, section);
    if (!isMapping(defs)) continue;
    out[section] = mapValues(defs, (def) => {
      const file = isMapping(def) ? getKey(def, 'file') : undefined;
      if (!isMapping(def) || typeof file !== 'string') return def;
      const copy = copyMapping(def);
      copy.file = rebasePath(file, fromDir, toDir);
      return copy;
    });
  }
  return out;
}

/** Short syntax `./src:/dst[:mode]` or long syntax `{type: bind, source}`; named volumes stay. */
function rebaseVolume(volume: unknown, move: (p: unknown) => unknown): unknown {
  if (typeof volume === 'string') {
    const [source, ...rest] = volume.split(':');
    if (rest.length === 0 || !source!.startsWith('.')) return volume;
    return [move(source), ...rest].join(':');
  }
  if (!isMapping(volume)) return volume;
  const source = getKey(volume, 'source');
  if (getKey(volume, 'type') !== 'bind' || typeof source !== 'string') return volume;
  const copy = copyMapping(volume);
  copy.source = move(source);
  return copy;
}

function mapValues(m: Mapping, f: (v: unknown) => unknown): Mapping {
  const out: Mapping = {};
  for (const [k, v] of Object.entries(m)) {
    carryPosition(m, k, out, k);
    putKey(out, k, f(v));
  }
  return copyOwnPosition(m, out);
}

function mapList(value: unknown, f: (item: unknown) => unknown): unknown {
  if (!Array.isArray(value)) return f(value);
  const out: unknown[] = [];
  value.forEach((item, i) => {
    carryPosition(value, i, out, i);
    out.push(f(item));
  });
  return out;
}

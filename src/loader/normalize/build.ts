import type { BuildConfig } from '../../model/project.js';
import { parseBytes } from './units.js';
import { asMapping, extraHosts, listOrDict, resolveBare, toBool, toList, toStr } from './values.js';
import { type PathResolver, resolveHostPath } from './volumes.js';

/** Contexts that are not local paths: URLs and git remotes are passed to the builder as they are. */
const REMOTE_CONTEXT = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i;

/** Attributes of `build` the model types; the rest are kept as written in `extensions`. */
const TYPED = new Set([
  'context',
  'dockerfile',
  'dockerfile_inline',
  'args',
  'target',
  'labels',
  'cache_from',
  'no_cache',
  'pull',
  'network',
  'shm_size',
  'extra_hosts',
  'tags',
  'platforms',
]);

/**
 * `build: ./dir` or the long form, to long form with the context resolved against the project
 * directory (`dockerfile` stays relative to the context, as the builder expects it).
 */
export function transformBuild(
  value: unknown,
  paths: PathResolver,
  environment: Record<string, string>,
): BuildConfig {
  const b = typeof value === 'string' ? { context: value } : asMapping(value);
  const context = b.context === undefined ? '.' : toStr(b.context);
  const out: BuildConfig = {
    context: REMOTE_CONTEXT.test(context) ? context : resolveHostPath(context, paths),
    args: b.args === undefined ? {} : resolveBare(listOrDict(b.args, null), environment),
    labels: b.labels === undefined ? {} : listOrDict(b.labels, ''),
    cache_from: toList(b.cache_from),
    extra_hosts: b.extra_hosts === undefined ? [] : extraHosts(b.extra_hosts),
    tags: toList(b.tags),
    platforms: toList(b.platforms),
  };
  if (b.dockerfile !== undefined) out.dockerfile = toStr(b.dockerfile);
  if (b.dockerfile_inline !== undefined) out.dockerfile_inline = toStr(b.dockerfile_inline);
  if (b.target !== undefined) out.target = toStr(b.target);
  if (b.no_cache !== undefined) out.no_cache = toBool(b.no_cache);
  if (b.pull !== undefined) out.pull = toBool(b.pull);
  if (b.network !== undefined) out.network = toStr(b.network);
  if (b.shm_size !== undefined) out.shm_size = parseBytes(b.shm_size);
  const extensions = Object.entries(b).filter(([key]) => !TYPED.has(key));
  if (extensions.length > 0) out.extensions = Object.fromEntries(extensions);
  return out;
}

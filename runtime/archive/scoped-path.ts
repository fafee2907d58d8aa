import { lstatSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';
import { invalid } from '../errors.js';

/** Most symlinks followed while resolving one path (Linux's own limit is 40; containers' 255). */
const MAX_HOPS = 255;

/**
 * Resolves `path` inside `root` as if `root` were the filesystem root (securejoin-style): every
 * component is looked at with lstat (never followed by the kernel); symlinks are read and
 * re-resolved within the root, absolute links restart at the root, `..` stops at the root.
 * Components that do not exist yet are joined lexically. The result is always inside `root`.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  return resolveInRootSync(root, path);
}

/**
 * {@link resolveInRoot} without awaits: a few lstat calls cost microseconds each, far less than a
 * round trip through the thread pool (the extractor resolves a parent for most entries).
 */
export function resolveInRootSync(root: string, path: string): string {
  let pending = path.split('/');
  const resolved: string[] = [];
  let hops = 0;
  let missing = false;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    if (missing) {
      resolved.push(part);
      continue;
    }
    const candidate = posix.join(root, ...resolved, part);
    let isLink = false;
    try {
      isLink = lstatSync(candidate).isSymbolicLink();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing = true;
    }
    if (!isLink) {
      resolved.push(part);
      continue;
    }
    if (++hops > MAX_HOPS) throw invalid(`too many levels of symbolic links in ${path}`);
    const target = readlinkSync(candidate);
    if (target.startsWith('/')) resolved.length = 0;
    pending = [...target.split('/'), ...pending];
  }
  return posix.join(root, ...resolved);
}

/**
 * Cleans an archive entry name to a path relative to the root: `./a//b/` → `a/b`, absolute names
 * become relative. Returns undefined for names that climb out of the root (`../x`, `a/../../x`).
 */
export function cleanEntryName(name: string): string | undefined {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join('/');
}

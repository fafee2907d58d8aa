import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink, realpath, rm, rmdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { extractLayer } from '../archive/extract.js';
import { invalid, notFound } from '../errors.js';
import type { Host } from '../host/host.js';
import { parseDockerignore, patternRegex } from './dockerignore.js';

/** A build context unpacked on disk. */
export interface BuildContext {
  /** The directory the context was unpacked into (real path). */
  root: string;
  dockerfile: string;
}

/** Unpacks the request body (tar, gzip sniffed) into `dir`, reads the Dockerfile, drops ignored files. */
export async function receiveContext(
  body: AsyncIterable<Buffer>,
  dir: string,
  dockerfilePath: string,
  host: Host,
): Promise<BuildContext> {
  // A context is plain files, not a layer: a `.wh.` name is a file to copy, never a whiteout.
  await extractLayer(body, dir, { host, whiteouts: 'none' });
  const root = await realpath(dir);
  const name = dockerfilePath || 'Dockerfile';
  const file = await contextPath(root, name).catch(() => undefined);
  let dockerfile: string | undefined;
  if (file) dockerfile = await readFile(file, 'utf8').catch(() => undefined);
  if (dockerfile === undefined && !dockerfilePath) {
    dockerfile = await readFile(join(root, 'dockerfile'), 'utf8').catch(() => undefined);
  }
  if (dockerfile === undefined) {
    throw invalid(`Cannot locate specified Dockerfile: ${name}`);
  }
  const ignore = await readFile(join(root, '.dockerignore'), 'utf8').catch(() => undefined);
  if (ignore !== undefined) await dropIgnored(root, parseDockerignore(ignore));
  return { root, dockerfile };
}

async function dropIgnored(root: string, rules: ReturnType<typeof parseDockerignore>): Promise<void> {
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const excluded = rules.excludes(path);
      if (excluded && !(entry.isDirectory() && rules.mayReinclude(path))) {
        await rm(join(root, path), { recursive: true, force: true });
      } else if (entry.isDirectory()) {
        await walk(path);
        // An excluded directory stays only for what `!` rules brought back into it.
        if (excluded) await rmdir(join(root, path)).catch(() => undefined);
      }
    }
  };
  await walk('');
}

/** Whether a missing path leaves the context through a symlink on the way (a dangling link pointing out). */
async function leavesContext(root: string, rel: string): Promise<boolean> {
  let dir = root;
  for (const part of rel.split('/').filter((p) => p && p !== '.')) {
    const here = join(dir, part);
    const st = await lstat(here).catch(() => undefined);
    if (!st) return false;
    if (st.isSymbolicLink()) {
      const target = await readlink(here);
      const resolved = target.startsWith('/') ? target : posix.resolve(dir, target);
      if (target.startsWith('/') || (resolved !== root && !resolved.startsWith(`${root}/`))) return true;
      dir = resolved;
    } else dir = here;
  }
  return false;
}

/** Docker's message for a COPY/ADD source that is not there. */
export const missingSource = (source: string) =>
  `file not found in build context or excluded by .dockerignore: stat ${source}: file does not exist`;

/**
 * A path inside the context, symlinks followed; anything that leaves the context (`../x`, a
 * link pointing out) is refused as Docker words it.
 */
export async function contextPath(root: string, source: string): Promise<string> {
  const rel = posix.normalize(`./${source}`);
  if (rel === '..' || rel.startsWith('../')) {
    throw invalid(`forbidden path outside the build context: ${source}`);
  }
  const full = join(root, rel);
  let real: string;
  try {
    real = await realpath(full);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      // A dangling link may still point out: name the escape rather than "not found".
      if (await leavesContext(root, rel))
        throw invalid(`forbidden path outside the build context: ${source}`);
      throw notFound(
        `file not found in build context or excluded by .dockerignore: stat ${source}: file does not exist`,
      );
    }
    throw err;
  }
  if (real !== root && !real.startsWith(`${root}/`)) {
    throw invalid(`forbidden path outside the build context: ${source}`);
  }
  return real;
}

/** Sources of COPY/ADD with wildcards expanded (Go filepath.Match per path), each resolved by `resolvePath` (the context's rules by default). */
export async function expandSources(
  root: string,
  source: string,
  resolvePath: (root: string, path: string) => Promise<string> = contextPath,
): Promise<string[]> {
  if (!/[*?[]/.test(source)) return [await resolvePath(root, source)];
  const rel = posix.normalize(`./${source}`).replace(/^\.\//, '');
  if (rel.startsWith('../')) throw invalid(`forbidden path outside the build context: ${source}`);
  const regex = patternRegex(rel);
  const depth = rel.split('/').length;
  const found: string[] = [];
  const walk = async (dir: string, level: number): Promise<void> => {
    for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (level === depth) {
        if (regex.test(path)) found.push(await resolvePath(root, path));
      } else if (entry.isDirectory()) await walk(path, level + 1);
    }
  };
  await walk('', 1);
  if (found.length === 0) throw notFound('no source files were specified');
  return found.sort();
}

/**
 * A digest of the sources' content and metadata (names, types, modes, link targets; not times
 * or owners, which COPY resets) for the build cache.
 */
export async function hashSources(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  const visit = async (path: string, name: string): Promise<void> => {
    const st = await lstat(path);
    hash.update(`${name}\0${st.mode.toString(8)}\0`);
    if (st.isSymbolicLink()) hash.update(`link\0${await readlink(path)}\0`);
    else if (st.isDirectory()) {
      for (const child of (await readdir(path)).sort()) await visit(join(path, child), `${name}/${child}`);
    } else if (st.isFile()) {
      hash.update(`${st.size}\0`);
      for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    }
  };
  for (const p of paths) await visit(p, posix.basename(p));
  return `sha256:${hash.digest('hex')}`;
}

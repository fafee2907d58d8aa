import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { errors } from '../../errors/kinds.js';
import { DockerIgnore } from './dockerignore.js';
import { TAR_END, type TarEntry, tarHeader, tarPadding } from './tar-header.js';

/** A file of the build context: where it is on disk and how it goes into the archive. */
interface ContextFile {
  absolute: string;
  entry: TarEntry;
}

/**
 * The build context of `dir` as a tar stream: every file not excluded by `.dockerignore`, with
 * the Dockerfile and `.dockerignore` always included (as Docker does). The file list is fixed
 * up front, so a missing context fails before anything is sent; contents are streamed.
 */
export async function buildContext(dir: string, dockerfile = 'Dockerfile'): Promise<Readable> {
  const root = resolve(dir);
  const rootStat = await lstat(root).catch(() => undefined);
  if (!rootStat?.isDirectory())
    throw errors.invalid(`build context ${dir} is not a directory`, { location: dir });
  const ignoreText = await readFile(join(root, '.dockerignore'), 'utf8').catch(() => '');
  const ignore = new DockerIgnore(ignoreText);
  const keep = new Set(['.dockerignore', toSlash(relative(root, resolve(root, dockerfile)))]);
  const files = await collect(root, '', ignore, keep);
  return Readable.from(tarStream(files));
}

async function collect(
  root: string,
  rel: string,
  ignore: DockerIgnore,
  keep: Set<string>,
): Promise<ContextFile[]> {
  const out: ContextFile[] = [];
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of entries) {
    const path = rel ? `${rel}/${dirent.name}` : dirent.name;
    const excluded = ignore.excludes(path) && !keep.has(path);
    if (excluded && !(dirent.isDirectory() && ignore.hasExceptions)) continue;
    const absolute = join(root, path);
    const st = await lstat(absolute);
    const base = { name: path, mode: st.mode, mtime: Math.floor(st.mtimeMs / 1000), size: 0 };
    if (st.isDirectory()) {
      if (!excluded) out.push({ absolute, entry: { ...base, type: 'directory' } });
      out.push(...(await collect(root, path, ignore, keep)));
    } else if (st.isSymbolicLink()) {
      out.push({ absolute, entry: { ...base, type: 'symlink', linkname: await readlink(absolute) } });
    } else if (st.isFile()) {
      out.push({ absolute, entry: { ...base, type: 'file', size: st.size } });
    }
  }
  return out;
}

async function* tarStream(files: ContextFile[]): AsyncGenerator<Buffer> {
  for (const { absolute, entry } of files) {
    yield tarHeader(entry);
    if (entry.type !== 'file') continue;
    let written = 0;
    for await (const chunk of createReadStream(absolute)) {
      const buf = chunk as Buffer;
      // A file that grew while being sent is cut to the size its header declares.
      const part = buf.subarray(0, Math.max(0, entry.size - written));
      written += part.length;
      if (part.length) yield part;
    }
    if (written < entry.size) yield Buffer.alloc(entry.size - written);
    yield tarPadding(entry.size);
  }
  yield TAR_END;
}

function toSlash(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

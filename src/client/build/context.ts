import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { errors } from '../../errors/kinds.js';
import { DockerIgnore } from './dockerignore.js';
import { TAR_END, type TarEntry, tarHeader, tarPadding } from './tar-header.js';

/** A file of the build context: where it is on disk (or its bytes) and how it goes into the archive. */
interface ContextFile {
  absolute: string;
  entry: TarEntry;
  content?: Buffer;
}

/** Where the Dockerfile comes from. */
export interface DockerfileSource {
  /** A path relative to the context (or absolute); default `Dockerfile`. */
  dockerfile?: string;
  /** The Dockerfile's text itself (Compose `dockerfile_inline`); wins over `dockerfile`. */
  inline?: string;
}

/** A build context ready to send, and the Dockerfile's name inside it. */
export interface BuildContext {
  tar: Readable;
  dockerfile: string;
}

/**
 * The build context of `dir` as a tar stream: every file not excluded by `.dockerignore`, with
 * the Dockerfile and `.dockerignore` always included (as Docker does). A Dockerfile outside the
 * context or given inline is added as `.dockerfile.<hash>`. The file list is fixed up front, so
 * a missing context or Dockerfile fails before anything is sent; contents are streamed.
 */
export async function buildContext(dir: string, source: DockerfileSource = {}): Promise<BuildContext> {
  const root = resolve(dir);
  const rootStat = await lstat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    throw errors.invalid(`build context ${dir} is not a directory`, { location: dir });
  }
  const ignore = new DockerIgnore(await readFile(join(root, '.dockerignore'), 'utf8').catch(() => ''));
  const extra = await dockerfileOutside(root, source);
  const inside = extra
    ? undefined
    : toSlash(relative(root, resolve(root, source.dockerfile ?? 'Dockerfile')));
  if (inside && !(await lstat(join(root, inside)).catch(() => undefined))?.isFile()) {
    throw errors.invalid(`no Dockerfile at ${join(root, inside)}`, { location: join(root, inside) });
  }
  const files = await collect(root, '', ignore, new Set(['.dockerignore', inside ?? '']));
  if (extra) files.push(extra);
  return { tar: Readable.from(tarStream(files)), dockerfile: extra?.entry.name ?? inside! };
}

/** An inline Dockerfile, or one outside the context, as an extra file of the archive. */
async function dockerfileOutside(root: string, source: DockerfileSource): Promise<ContextFile | undefined> {
  let content: Buffer;
  let absolute = '';
  if (source.inline !== undefined) content = Buffer.from(source.inline);
  else {
    absolute = resolve(root, source.dockerfile ?? 'Dockerfile');
    const rel = relative(root, absolute);
    if (!rel.startsWith('..') && !isAbsolute(rel)) return undefined;
    content = await readFile(absolute).catch(() => {
      throw errors.invalid(`no Dockerfile at ${absolute}`, { location: absolute });
    });
  }
  const name = `.dockerfile.${createHash('sha256').update(content).digest('hex').slice(0, 20)}`;
  const entry: TarEntry = { name, type: 'file', mode: 0o644, size: content.length, mtime: 0 };
  return { absolute, entry, content };
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
    // An excluded directory is still walked when a rule may re-include something in it, or
    // when it holds the Dockerfile.
    const walk =
      dirent.isDirectory() && (ignore.hasExceptions || [...keep].some((k) => k.startsWith(`${path}/`)));
    if (excluded && !walk) continue;
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
  for (const { absolute, entry, content } of files) {
    yield tarHeader(entry);
    if (entry.type !== 'file') continue;
    if (content) {
      yield content;
      yield tarPadding(entry.size);
      continue;
    }
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

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { BerthError } from '../errors/kinds.js';
import { parseEnvFile } from './env-file.js';
import { parseRawEnvFile } from './env-file-raw.js';
import type { Lookup } from './interpolation/template.js';
import type { LoadOptions } from './options.js';

/**
 * The one module of the loader that touches the outside world: the file system, standard input
 * and the process environment. Every other stage is a pure function of what this module reads.
 */

/** Default stack file names, in the order Compose looks for them. */
export const DEFAULT_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
];

/** A stack file's text and where it came from (`-` for standard input). */
export interface StackSource {
  /** Absolute path, or `-`. */
  path: string;
  text: string;
}

/** The process environment, without unset entries. */
export function processEnvironment(options: LoadOptions): Record<string, string> {
  const env = options.env ?? process.env;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Finds the default stack file in `cwd` or the nearest parent that has one, plus its
 * `.override` companion (`compose.yaml` → `compose.override.yaml` or `.yml`). When a directory
 * has several default names, the first one wins and `onWarning` hears of the others.
 */
export function discoverStackFiles(cwd: string, onWarning?: (message: string) => void): string[] {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidates = DEFAULT_FILE_NAMES.map((name) => join(dir, name)).filter(isFile);
    const found = candidates[0];
    if (found) {
      if (candidates.length > 1) {
        onWarning?.(
          `found ${candidates.map((c) => basename(c)).join(', ')} in ${dir}; using ${basename(found)}`,
        );
      }
      const stem = basename(found).replace(/\.ya?ml$/, '');
      const override = ['yaml', 'yml'].map((ext) => join(dir, `${stem}.override.${ext}`)).find(isFile);
      return override ? [found, override] : [found];
    }
    if (dirname(dir) === dir) break;
  }
  throw new BerthError(
    'not-found',
    `no stack file found in ${resolve(cwd)} or its parents (looked for ${DEFAULT_FILE_NAMES.join(', ')})`,
    { location: resolve(cwd) },
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads a text file. `referencedFrom` (a `file:line:col`) locates the reference when the file
 * is missing or unreadable; otherwise the path itself is the location.
 */
export function readTextFile(path: string, referencedFrom?: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const location = referencedFrom ?? path;
    if (code === 'ENOENT') throw new BerthError('not-found', `file not found: ${path}`, { location });
    if (code === 'EISDIR')
      throw new BerthError('invalid', `${path} is a directory, not a file`, { location });
    throw new BerthError('invalid', `cannot read ${path}: ${(err as Error).message}`, { location });
  }
}

/** Reads the stack files named by `-f` (resolved against `cwd`; `-` reads standard input). */
export async function readStackSources(files: string[], options: LoadOptions): Promise<StackSource[]> {
  const cwd = options.cwd ?? process.cwd();
  const sources: StackSource[] = [];
  for (const file of files) {
    if (file === '-') {
      const text = await (options.stdin ?? readProcessStdin)();
      sources.push({ path: '-', text });
    } else {
      const path = resolve(cwd, file);
      sources.push({ path, text: readTextFile(path) });
    }
  }
  return sources;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads environment files in order, later files overriding earlier ones; values may refer to
 * `lookup` (the process environment) and to variables of earlier files.
 */
export function readEnvFiles(
  paths: string[],
  lookup: Lookup,
  display: (path: string) => string = (p) => p,
): Record<string, string> {
  let vars: Record<string, string> = {};
  for (const path of paths) {
    const earlier = vars;
    const parsed = parseEnvFile(readTextFile(path), display(path), (name) => lookup(name) ?? earlier[name]);
    vars = { ...vars, ...parsed };
  }
  return vars;
}

/** `<dir>/.env` when it exists and is a file. */
export function defaultEnvFile(dir: string): string | undefined {
  const path = join(dir, '.env');
  return existsSync(path) && isFile(path) ? path : undefined;
}

/**
 * The `env_file` reader handed to normalization: a missing optional file gives undefined, a
 * missing required one a located not-found error. `format` is the entry's `format:` (unset or
 * `env` for Compose's `.env` syntax, `raw` for values taken as written); any other is an error.
 */
export function envFileReader(
  workingDir: string,
  lookup: Lookup,
  display: (path: string) => string = (p) => p,
) {
  return (path: string, required: boolean, format?: string): Record<string, string> | undefined => {
    const abs = isAbsolute(path) ? path : resolve(workingDir, path);
    const parse = envFileParser(format, display(abs));
    if (!required && !isFile(abs)) return undefined;
    return parse(readTextFile(abs), display(abs), lookup);
  };
}

function envFileParser(format: string | undefined, shown: string): typeof parseEnvFile {
  if (format === undefined || format === 'env') return parseEnvFile;
  if (format === 'raw') return parseRawEnvFile;
  throw new BerthError(
    'invalid',
    `unsupported env_file format "${format}" for ${shown}: use "env" or "raw"`,
    {},
  );
}

import { errors } from '../errors/kinds.js';
import type { InjectedFile } from './inline-files.js';

const BLOCK = 512;

/**
 * A POSIX ustar archive of regular files, for `PUT /containers/{id}/archive` at `/`: names are
 * the paths without the leading slash, so the engine creates missing parent directories. Pure;
 * longer paths than ustar's 100+155 bytes are refused.
 */
export function tarOfFiles(files: readonly InjectedFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const data = Buffer.from(f.content, 'utf8');
    parts.push(header(f, data.length), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function header(f: InjectedFile, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(f.path.replace(/^\/+/, ''));
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, f.mode & 0o7777);
  octal(h, 108, 8, f.uid);
  octal(h, 116, 8, f.gid);
  octal(h, 124, 12, size);
  octal(h, 136, 12, 0);
  h.fill(' ', 148, 156);
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\u000000', 257, 8, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return h;
}

/** ustar splits a long path at a slash: up to 155 bytes of prefix, up to 100 of name. */
function splitName(path: string): [string, string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
    const [prefix, name] = [path.slice(0, i), path.slice(i + 1)];
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name];
  }
  throw errors.invalid(`path too long for a secret or config target: /${path}`);
}

function octal(h: Buffer, offset: number, length: number, value: number): void {
  h.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errors } from '../errors/kinds.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { serviceContainer } from './exec.js';

/** Go's `os.ModeDir`, as the engine reports a path's mode. */
const MODE_DIR = 2 ** 31;

/** One side of `cp`: a local path, or a path in a service's container. */
export type CopyEndpoint = { path: string } | { service: string; path: string };

/** `SERVICE:PATH` or a local path (`./a:b` is local, as in Compose). */
export function parseCopyEndpoint(arg: string): CopyEndpoint {
  const m = /^([A-Za-z0-9][A-Za-z0-9_.-]*):(.*)$/.exec(arg);
  return m && !arg.startsWith('.') && !arg.startsWith('/') ? { service: m[1], path: m[2] } : { path: arg };
}

/**
 * `cp`: copies a file or folder between a service container and the host, with `docker cp`'s
 * rules: into an existing folder it keeps its name, otherwise it takes the destination's name.
 */
export async function copyFiles(
  engine: EnginePort,
  project: string,
  from: CopyEndpoint,
  to: CopyEndpoint,
  index = 1,
) {
  if ('service' in from && !('service' in to)) {
    const id = await serviceContainer(engine, project, from.service, index);
    const { tar } = await engine.containers.getArchive(id, from.path);
    const dest = resolve(to.path);
    if (isDir(dest)) return untar(tar, dest);
    const staging = mkdtempSync(join(dirname(dest), '.berth-cp-'));
    try {
      await untar(tar, staging);
      renameSync(join(staging, basename(from.path.replace(/\/+$/, '')) || '.'), dest);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return;
  }
  if ('service' in to && !('service' in from)) {
    const id = await serviceContainer(engine, project, to.service, index);
    const src = resolve(from.path);
    const stat = await engine.containers.statPath(id, to.path).catch(() => undefined);
    const intoDir = stat !== undefined && (stat.mode & MODE_DIR) !== 0;
    const name = basename(src);
    const target = intoDir ? to.path : dirname(to.path);
    const rename = intoDir
      ? []
      : [`--transform=s,^${escapeSed(name)},${escapeReplacement(basename(to.path))},`];
    const tar = spawn('tar', ['-c', '-C', dirname(src), ...rename, name], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await engine.containers.putArchive(id, target, tar.stdout);
    return;
  }
  throw errors.invalid('cp: exactly one of source and destination must be SERVICE:PATH');
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function untar(tar: Readable, dir: string): Promise<void> {
  const child = spawn('tar', ['-x', '-C', dir, '--no-same-owner'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<number>((done) => child.on('close', (code) => done(code ?? 1)));
  await pipeline(tar, child.stdin);
  if ((await exited) !== 0) throw errors.failed(`cp: could not extract into ${dir}`);
}

function escapeReplacement(name: string): string {
  return name.replace(/[\\,&]/g, (c) => `\\${c}`);
}

function escapeSed(name: string): string {
  return name.replace(/[\\,&.*[\]^$]/g, (c) => `\\${c}`);
}

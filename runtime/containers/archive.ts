import { lstat, mkdir, readlink } from 'node:fs/promises';
import { basename, dirname, posix, relative } from 'node:path';
import type { Readable } from 'node:stream';
import type { ApiRequest, ApiResponse } from '../api/route.js';
import { extractLayer } from '../archive/extract.js';
import { resolveInRoot } from '../archive/scoped-path.js';
import { internal, invalid, notFound } from '../errors.js';
import { withCopyMounts, writeRefusal } from './archive-mounts.js';
import type { ContainerRecord } from './container-record.js';
import type { ContainerService } from './container-service.js';

/** Go's os.FileMode type bits, as `X-Docker-Container-Path-Stat` carries them. */
const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  pipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  char: 2 ** 21,
  sticky: 2 ** 20,
};

const isRunning = (c: ContainerRecord) => c.State.Status === 'running' || c.State.Status === 'paused';

/**
 * Runs `fn` with the container's filesystem as the container sees it, volumes and binds included:
 * `/proc/<pid>/root` of a running container, frozen meanwhile so no process can swap a path for a
 * symlink under us; else (under the container's lock, so it cannot start meanwhile) its root
 * filesystem with its volumes and binds mounted for the duration, as dockerd does.
 */
async function withRoot<T>(
  svc: ContainerService,
  c: ContainerRecord,
  freeze: boolean,
  fn: (root: string) => Promise<T>,
): Promise<T> {
  if (isRunning(c)) return inRunning(svc, c, freeze, fn);
  return svc.lifecycle.withLock(c.Id, () =>
    isRunning(c) ? inRunning(svc, c, freeze, fn) : inStopped(svc, c, fn),
  );
}

async function inRunning<T>(
  svc: ContainerService,
  c: ContainerRecord,
  freeze: boolean,
  fn: (root: string) => Promise<T>,
): Promise<T> {
  const pause = freeze && c.State.Status === 'running';
  if (pause) await svc.runtime.pause(c.Id);
  try {
    return await fn(`/proc/${c.State.Pid}/root`);
  } finally {
    if (pause) await svc.runtime.resume(c.Id).catch(() => undefined);
  }
}

async function inStopped<T>(
  svc: ContainerService,
  c: ContainerRecord,
  fn: (root: string) => Promise<T>,
): Promise<T> {
  const target = svc.runner.paths(c.Id).rootfs;
  const mounted = (await svc.ctx.host.mountsUnder(target)).length > 0;
  if (!mounted) {
    await mkdir(target, { recursive: true, mode: 0o700 });
    for (const m of await svc.deps.images.prepareRootfs(c.Id, c.Image))
      await svc.ctx.host.mount({ ...m, target });
  }
  try {
    return await withCopyMounts(svc.ctx.host, svc.deps.volumes, c.Id, target, c.MountPoints, () =>
      fn(target),
    );
  } finally {
    if (!mounted)
      for (const m of await svc.ctx.host.mountsUnder(target)) await svc.ctx.host.unmount(m, { detach: true });
  }
}

/** The parent resolved in scope and the final name (not followed, as `docker cp` copies a link itself). */
async function locate(
  root: string,
  path: string,
  c: ContainerRecord,
): Promise<{ parent: string; name: string; full: string }> {
  const clean = posix.normalize(`/${path}`);
  const parent = await resolveInRoot(root, posix.dirname(clean));
  const name = posix.basename(clean);
  const full = name ? `${parent}/${name}` : parent;
  if (!(await lstat(full).catch(() => undefined)))
    throw notFound(`Could not find the file ${path} in container ${c.Name.slice(1)}`);
  return { parent: name ? parent : dirname(parent), name: name || basename(parent), full };
}

async function statHeader(full: string, name: string): Promise<string> {
  const st = await lstat(full);
  let mode = st.mode & 0o777;
  if (st.isDirectory()) mode += GO_MODE.dir;
  if (st.isSymbolicLink()) mode += GO_MODE.symlink;
  if (st.isFIFO()) mode += GO_MODE.pipe;
  if (st.isSocket()) mode += GO_MODE.socket;
  if (st.isCharacterDevice()) mode += GO_MODE.device + GO_MODE.char;
  if (st.isBlockDevice()) mode += GO_MODE.device;
  if (st.mode & 0o4000) mode += GO_MODE.setuid;
  if (st.mode & 0o2000) mode += GO_MODE.setgid;
  if (st.mode & 0o1000) mode += GO_MODE.sticky;
  const linkTarget = st.isSymbolicLink() ? await readlink(full) : '';
  const stat = { name, size: st.size, mode, mtime: st.mtime.toISOString(), linkTarget };
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}

/** `HEAD /containers/{id}/archive?path=`: the path's stat in the header. */
export async function archiveHead(svc: ContainerService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const c = svc.store.get(req.params.id ?? '');
  const path = requirePath(req);
  const header = await withRoot(svc, c, false, async (root) => {
    const { full, name } = await locate(root, path, c);
    return statHeader(full, name);
  });
  res.stream(200, 'application/json', { 'X-Docker-Container-Path-Stat': header }).end();
}

/** `GET /containers/{id}/archive?path=`: a tar of the path, named by its base name. */
export async function archiveGet(svc: ContainerService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const c = svc.store.get(req.params.id ?? '');
  const path = requirePath(req);
  await withRoot(svc, c, true, async (root) => {
    const { parent, name, full } = await locate(root, path, c);
    const header = await statHeader(full, name);
    const tar = svc.ctx.host.spawn('tar', ['--numeric-owner', '-C', parent, '-cf', '-', name], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const done = new Promise<void>((resolve) => tar.on('close', () => resolve()));
    res.pipe(200, 'application/x-tar', tar.stdout as Readable, { 'X-Docker-Container-Path-Stat': header });
    await done;
  });
}

/** `PUT /containers/{id}/archive?path=`: extracts a tar into an existing directory, every entry kept inside it. */
export async function archivePut(svc: ContainerService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const c = svc.store.get(req.params.id ?? '');
  const path = requirePath(req);
  await withRoot(svc, c, true, async (root) => {
    const dir = await resolveInRoot(root, path);
    const st = await lstat(dir).catch(() => undefined);
    if (!st) throw notFound(`Could not find the file ${path} in container ${c.Name.slice(1)}`);
    if (!st.isDirectory()) throw invalid(`extraction point is not a directory`);
    const refusal = writeRefusal(c.MountPoints, `/${relative(root, dir)}`, !!c.HostConfig.ReadonlyRootfs);
    if (refusal) throw internal(refusal);
    await extractLayer(req.raw, dir, { host: svc.ctx.host, whiteouts: 'none' });
  });
  res.empty(200);
}

function requirePath(req: ApiRequest): string {
  const path = req.query.get('path');
  if (!path) throw invalid('path is required');
  return path;
}

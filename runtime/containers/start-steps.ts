import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EngineContext } from '../context.js';
import type { ImageProvider } from '../contracts.js';
import type { ResolvedMount } from '../oci/oci-spec.js';
import { type ProcessUser, resolveUser } from '../oci/user.js';
import type { ContainerPaths } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';
import { ensureDirInRoot, readInRoot } from './rootfs-files.js';

/**
 * The independent steps of a container start, each its own function so the runner can run them
 * side by side: the root filesystem (and the user it defines), volume mounts, and the network.
 */

/** The directories conmon and the runtime write into, made fresh; stale exit records removed. */
export async function prepareRunDirs(p: ContainerPaths, socketDir: string): Promise<void> {
  await Promise.all(
    [p.dir, p.exitDir, p.persistDir, p.rootfs, dirname(p.pidFile), socketDir].map((dir) =>
      mkdir(dir, { recursive: true, mode: 0o700 }),
    ),
  );
  await Promise.all(
    [p.exitFile, `${p.persistDir}/exit`, `${p.persistDir}/oom`].map((stale) => rm(stale, { force: true })),
  );
}

/**
 * Mounts the container's writable layer at its rootfs, then reads the user the process runs as
 * from the image's /etc/passwd and /etc/group and creates the working directory as Docker does.
 */
export async function mountRootfs(
  ctx: EngineContext,
  images: ImageProvider,
  c: ContainerRecord,
  p: ContainerPaths,
): Promise<{ user: ProcessUser; cwd: string }> {
  for (const m of await images.prepareRootfs(c.Id, c.Image)) await ctx.host.mount({ ...m, target: p.rootfs });
  const [passwd, group] = await Promise.all([
    readInRoot(p.rootfs, '/etc/passwd'),
    readInRoot(p.rootfs, '/etc/group'),
  ]);
  const user = resolveUser(c.Config.User, passwd, group, c.HostConfig.GroupAdd ?? []);
  const cwd = c.Config.WorkingDir || '/';
  await ensureDirInRoot(p.rootfs, cwd, user.uid, user.gid);
  return { user, cwd };
}

/**
 * The container's mounts with volume sources resolved (a volume with mount options is mounted on
 * first use; one at a time, as a volume may be mounted twice in one container).
 */
export async function resolveMounts(
  c: ContainerRecord,
  mountVolume: ((name: string, containerId: string) => Promise<string>) | undefined,
): Promise<ResolvedMount[]> {
  const out: ResolvedMount[] = [];
  for (const m of c.MountPoints) {
    out.push({
      type: m.Type,
      source: m.Type === 'volume' && m.Name && mountVolume ? await mountVolume(m.Name, c.Id) : m.Source,
      destination: m.Destination,
      readOnly: !m.RW,
      options: m.Type === 'tmpfs' ? (m.Options ?? []) : [m.Propagation || 'rprivate'],
    });
  }
  return out;
}

/**
 * Waits for every step (so a failure never leaves one still changing the machine while the
 * caller undoes the others), then returns their results or throws the first step's error.
 */
export async function allSteps<T extends readonly unknown[]>(
  steps: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const settled = await Promise.allSettled(steps);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readExit } from '../supervisor/exit-watcher.js';
import {
  normalizeRestartPolicy,
  type RestartPolicy,
  restartOnEngineStart,
} from '../supervisor/restart-policy.js';
import { containersDir } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';
import type { ContainerService } from './container-service.js';

/**
 * On engine start: reload every container and reconcile it with reality. Containers still
 * running under conmon are adopted; exits that happened while the engine was down are recorded
 * (and the restart policy applied); `always`/`unless-stopped` containers come back as Docker's
 * daemon start does; leftovers of crashed starts and removals are cleaned.
 */
export async function recoverContainers(svc: ContainerService): Promise<void> {
  const { loaded, orphans } = await svc.store.load();
  for (const id of orphans) {
    const dir = join(containersDir(svc.ctx.dataRoot), id);
    for (const m of await svc.ctx.host.mountsUnder(dir)) await svc.ctx.host.unmount(m, { detach: true });
    await svc.runtime.delete(id, true);
    await rm(dir, { recursive: true, force: true });
  }
  // Writable layers of containers whose removal a crash interrupted after the record went.
  const known = new Set(loaded.map((c) => c.Id));
  for (const id of svc.deps.images.rootfsOwners?.() ?? []) if (!known.has(id)) svc.dropRootfs(id);
  for (const c of loaded) {
    await recoverOne(svc, c).catch((err) =>
      svc.ctx.log('error', 'container recovery failed', { id: c.Id, error: String(err) }),
    );
  }
}

async function recoverOne(svc: ContainerService, c: ContainerRecord): Promise<void> {
  const p = svc.runner.paths(c.Id);
  const status = c.State.Status;
  // Its removal is answered before its files are gone, and an auto-removal writes no mark first.
  if (status === 'removing' || (c.HostConfig.AutoRemove && c.StartedBefore && status === 'exited')) {
    const autoRemoved = status === 'exited';
    c.State.Status = 'dead';
    await svc.remove(c.Id, true, autoRemoved);
    return;
  }
  if (status === 'running' || status === 'paused') {
    const exit = await readExit(p.exitFile, p.persistDir);
    const rs = exit ? undefined : await svc.runtime.state(c.Id);
    if (rs && (rs.status === 'running' || rs.status === 'paused')) {
      c.State.Status = rs.status;
      c.State.Pid = rs.pid;
      await svc.store.save(c);
      svc.lifecycle.watch(c);
      svc.health.started(c);
      return;
    }
    // Gone while we were away: conmon's record, or (conmon gone too, e.g. a reboot) 255 as Docker reports.
    await svc.lifecycle.exited(c.Id, exit ?? { code: 255, oomKilled: false });
    return;
  }
  if ((await svc.ctx.host.mountsUnder(p.rootfs)).length > 0 || (await svc.runtime.state(c.Id)))
    await svc.runner.cleanup(c);
  const policy = normalizeRestartPolicy(c.HostConfig.RestartPolicy) as RestartPolicy;
  const comeBack =
    status === 'restarting' ||
    restartOnEngineStart({
      policy,
      exitCode: c.State.ExitCode,
      restartCount: c.RestartCount,
      manuallyStopped: c.ManuallyStopped,
      startedBefore: c.StartedBefore,
    });
  if (!comeBack) {
    await svc.store.save(c);
    return;
  }
  await svc.lifecycle.withLock(c.Id, async () => {
    if (status === 'restarting') c.RestartCount++;
    await svc.lifecycle
      .run(c)
      .catch((err) =>
        svc.ctx.log('warn', 'restart on engine start failed', { id: c.Id, error: String(err) }),
      );
  });
}

import { readFile, rm, writeFile } from 'node:fs/promises';
import type { EngineContext } from '../context.js';
import type { ImageProvider, NetworkProvider, VolumeProvider } from '../contracts.js';
import { internal } from '../errors.js';
import { mountRequests } from '../oci/mount-requests.js';
import { buildOciSpec } from '../oci/oci-spec.js';
import { processEnv } from '../oci/process-args.js';
import type { RuntimeCli } from '../oci/runtime-cli.js';
import { startConmon } from '../supervisor/conmon.js';
import { type ContainerPaths, containerPaths } from './container-paths.js';
import type { ContainerRecord, MountPoint } from './container-record.js';
import { etcFiles } from './etc-files.js';
import { engineCapabilities } from './host-capabilities.js';
import { hostDevices } from './host-devices.js';
import { networkView } from './network-view.js';
import { traced, traceExitSeen, traceRun } from './run-trace.js';
import { allSteps, mountRootfs, prepareRunDirs, resolveMounts } from './start-steps.js';

/** VolumeService's optional use-counting (mounts option volumes on first use). */
interface CountingVolumes extends VolumeProvider {
  mount?(name: string, containerId: string): Promise<string>;
  unmount?(name: string, containerId: string): Promise<void>;
}

/** What the runner is built with. */
export interface RunnerDeps {
  images: ImageProvider;
  volumes: CountingVolumes;
  networks: () => NetworkProvider | undefined;
  runtime: RuntimeCli;
  conmonPath: string;
  /** A static init binary for `Init: true` (tini-static / docker-init), when installed. */
  initPath?: string;
  /** conmon's log rotation threshold. */
  logSizeMax: (c: ContainerRecord) => number;
}

/**
 * Turns a container record into a running container and back: rootfs, volumes, network,
 * /etc files, config.json, conmon + runtime. Every step has its undo in {@link cleanup}, which is
 * idempotent so it also repairs what a crash left behind.
 */
export class ContainerRunner {
  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: RunnerDeps,
  ) {}

  paths(id: string): ContainerPaths {
    return containerPaths(this.ctx.dataRoot, this.ctx.runRoot, id);
  }

  /** Resolves the container's mounts at create: named volumes ensured, anonymous ones made. */
  async createMounts(c: ContainerRecord, randomName: () => string): Promise<MountPoint[]> {
    const out: MountPoint[] = [];
    for (const m of mountRequests(c.HostConfig, c.Config.Volumes ?? {})) {
      const base = { Destination: m.destination, RW: !m.readOnly, Mode: m.mode, Propagation: '' };
      if (m.type === 'volume') {
        const anonymous = m.source === '';
        const name = anonymous ? randomName() : m.source;
        const labels: Record<string, string> = anonymous ? { 'com.docker.volume.anonymous': '' } : {};
        const vol = await this.deps.volumes.ensure(name, labels);
        out.push({
          ...base,
          Type: 'volume',
          Name: name,
          Source: vol.Mountpoint,
          Driver: 'local',
          Anonymous: anonymous,
        });
      } else if (m.type === 'bind') {
        out.push({ ...base, Type: 'bind', Source: m.source, Propagation: m.options[0] ?? 'rprivate' });
      } else out.push({ ...base, Type: 'tmpfs', Source: '', Options: m.options });
    }
    return out;
  }

  /** Prepares everything and starts the container's process; returns its PID and conmon's. */
  async start(c: ContainerRecord): Promise<{ pid: number; conmonPid: number }> {
    const p = this.paths(c.Id);
    // A container that never ran has nothing to clean; one that did may have left a crashed start behind.
    if (c.StartedBefore || (await this.ctx.host.mountsUnder(p.rootfs)).length > 0) await this.cleanup(c);
    this.clean.delete(c.Id);
    try {
      return await this.startPrepared(c, p);
    } catch (err) {
      this.clean.delete(c.Id);
      await this.cleanup(c).catch((e) =>
        this.ctx.log('warn', 'cleanup after failed start', { id: c.Id, error: String(e) }),
      );
      throw err;
    }
  }

  private async startPrepared(
    c: ContainerRecord,
    p: ContainerPaths,
  ): Promise<{ pid: number; conmonPid: number }> {
    // Phase timings go to the debug log: where start time goes is the first question of a slow start.
    const phases: Record<string, number> = {};
    let mark = performance.now();
    const phase = (name: string) => {
      const now = performance.now();
      phases[name] = Math.round(now - mark);
      mark = now;
      traceRun(c.Id, `start: ${name}`);
    };
    const socketDir = `${this.ctx.runRoot}/sockets`;
    await prepareRunDirs(p, socketDir);
    // The root filesystem, the volumes and the network do not depend on each other: side by side.
    const networks = this.deps.networks();
    const [{ user, cwd }, mounts, attachment, hostResolv] = await allSteps([
      traced(c.Id, 'start: rootfs and user', mountRootfs(this.ctx, this.deps.images, c, p)),
      resolveMounts(c, this.deps.volumes.mount?.bind(this.deps.volumes)),
      traced(c.Id, 'start: network', async () => (networks ? networks.attach(networkView(c)) : undefined)),
      readFile('/etc/resolv.conf', 'utf8').catch(() => ''),
    ] as const);
    phase('prepared');
    const files = etcFiles(c, attachment, hostResolv);
    await Promise.all([
      writeFile(p.hosts, files.hosts, { mode: 0o644 }),
      writeFile(p.hostname, files.hostname, { mode: 0o644 }),
      writeFile(p.resolvConf, files.resolvConf, { mode: 0o644 }),
    ]);
    const hostname = c.Config.Hostname ?? c.Id.slice(0, 12);
    const spec = buildOciSpec({
      id: c.Id,
      config: c.Config,
      hostConfig: c.HostConfig,
      argv: [c.Path, ...c.Args],
      env: processEnv(c.Config.Env ?? [], hostname, user.home, !!c.Config.Tty),
      cwd,
      user,
      hostname,
      rootfsPath: p.rootfs,
      mounts,
      etcFiles: { hosts: p.hosts, hostname: p.hostname, resolvConf: p.resolvConf },
      netns: attachment?.netnsPath,
      cgroupsPath: `/berth/${c.Id}`,
      initPath: this.deps.initPath,
      availableCapabilities: engineCapabilities(),
      hostDevices: c.HostConfig.Privileged ? hostDevices() : undefined,
    });
    // Regenerated at every start, so no fsync: a torn file after a crash is rewritten before use.
    await writeFile(`${p.bundle}/config.json`, JSON.stringify(spec), { mode: 0o600 });
    phase('bundle');
    const pid = await startConmon(this.ctx.host, this.deps.conmonPath, {
      id: c.Id,
      name: c.Name.slice(1),
      runtimePath: this.deps.runtime.path,
      runtimeRoot: this.deps.runtime.root,
      bundle: p.bundle,
      pidFile: p.pidFile,
      conmonPidFile: p.conmonPidFile,
      exitDir: p.exitDir,
      persistDir: p.persistDir,
      socketDir,
      logPath: p.log,
      logSizeMax: this.deps.logSizeMax(c),
      tty: !!c.Config.Tty,
      stdin: !!c.Config.OpenStdin,
      stdinOnce: !!c.Config.StdinOnce,
    });
    phase('create');
    // conmon wrote its pid file before it created the container: read it while the process starts.
    const conmonPid = readFile(p.conmonPidFile, 'utf8').then(
      (text) => Number(text.trim()) || 0,
      () => 0,
    );
    try {
      await this.deps.runtime.start(c.Id);
    } catch (err) {
      throw internal(
        `failed to start container ${c.Id.slice(0, 12)}: ${String((err as Error).message).replace(/^.*?start [0-9a-f]+:\s*/, '')}`,
        err,
      );
    }
    phase('start');
    this.ctx.log('debug', 'container started', { id: c.Id, ...phases });
    return { pid, conmonPid: await conmonPid };
  }

  /** Containers cleaned since their last start in this engine's life (a second cleanup is a no-op). */
  private readonly clean = new Set<string>();

  /** Undoes a start: runtime record and cgroup, rootfs mount, volume use, network. Idempotent. */
  async cleanup(c: ContainerRecord): Promise<void> {
    if (this.clean.has(c.Id)) return;
    const p = this.paths(c.Id);
    traceExitSeen(c.Id, p.exitFile);
    // Independent undo steps run side by side: the container's processes are already gone.
    const volumes = this.deps.volumes;
    await Promise.all([
      traced(c.Id, 'cleanup: runtime delete', this.deps.runtime.delete(c.Id, true)),
      traced(c.Id, 'cleanup: unmount', async () => {
        for (const target of await this.ctx.host.mountsUnder(p.rootfs))
          await this.ctx.host.unmount(target, { detach: true });
      }),
      (async () => {
        for (const m of c.MountPoints)
          if (m.Type === 'volume' && m.Name && volumes.unmount) await volumes.unmount(m.Name, c.Id);
      })(),
      traced(c.Id, 'cleanup: network detach', async () => this.deps.networks()?.detach(c.Id)),
    ]);
    await rm(p.pidFile, { force: true });
    await rm(p.conmonPidFile, { force: true });
    this.clean.add(c.Id);
  }

  /** Forgets a removed container. */
  forget(id: string): void {
    this.clean.delete(id);
  }
}

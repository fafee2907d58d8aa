import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { ApiRequest, ApiResponse, Route } from '../api/route.js';
import { eventAttributes } from '../containers/container-record.js';
import type { ContainerService } from '../containers/container-service.js';
import { engineCapabilities } from '../containers/host-capabilities.js';
import { readInRoot } from '../containers/rootfs-files.js';
import { canExec } from '../containers/state-machine.js';
import type { EngineContext } from '../context.js';
import { conflict, invalid, notFound } from '../errors.js';
import { frame, STREAM } from '../logs/stream-frame.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { RELAY_PYTHON } from '../supervisor/stdin-relay.js';
import { resizeExecTerminal } from './exec-terminal.js';
import { type ExecConfig, execProcessSpec, shellQuote } from './process-spec.js';

/** An exec instance as `/exec/{id}/json` shows it. */
interface ExecRecord {
  ID: string;
  ContainerID: string;
  Config: ExecConfig;
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
  started: boolean;
  /** Where the runtime writes the exec process's host PID (for resizing its terminal). */
  pidFile?: string;
}

/** What a programmatic exec (health probes) returns. */
export interface ExecResult {
  code: number;
  output: string;
  timedOut: boolean;
}

/** `docker exec`: exec instances of running containers through the OCI runtime's `exec`. */
export class ExecService {
  private readonly execs = new Map<string, ExecRecord>();
  private readonly children = new Set<ChildProcess>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly containers: ContainerService,
  ) {}

  routes(): Route[] {
    return [
      { method: 'POST', path: '/containers/{id}/exec', handler: (req, res) => this.create(req, res) },
      { method: 'POST', path: '/exec/{id}/start', handler: (req, res) => this.start(req, res) },
      {
        method: 'GET',
        path: '/exec/{id}/json',
        handler: (req, res) => res.json(200, this.view(this.get(req.params.id ?? ''))),
      },
      {
        method: 'POST',
        path: '/exec/{id}/resize',
        handler: async (req, res) => {
          const e = this.get(req.params.id ?? '');
          if (e.Running && e.Config.Tty && e.pidFile) {
            await resizeExecTerminal(
              this.ctx.host,
              e.pidFile,
              Number(req.query.get('h') ?? 0),
              Number(req.query.get('w') ?? 0),
            );
          }
          res.empty(201);
        },
      },
    ];
  }

  /** Exec IDs of a container (inspect's `ExecIDs`), or null as Docker shows none. */
  idsOf(containerId: string): string[] | null {
    const ids = [...this.execs.values()]
      .filter((e) => e.ContainerID === containerId && e.Running)
      .map((e) => e.ID);
    return ids.length ? ids : null;
  }

  forget(containerId: string): void {
    for (const [id, e] of this.execs) if (e.ContainerID === containerId) this.execs.delete(id);
  }

  shutdown(): void {
    this.execs.clear();
  }

  private get(id: string): ExecRecord {
    const e = this.execs.get(id);
    if (!e) throw notFound(`No such exec instance: ${id}`);
    return e;
  }

  private view(e: ExecRecord): Record<string, unknown> {
    return {
      ID: e.ID,
      ContainerID: e.ContainerID,
      Running: e.Running,
      ExitCode: e.ExitCode,
      Pid: e.Pid,
      OpenStdin: !!e.Config.AttachStdin,
      OpenStdout: !!e.Config.AttachStdout,
      OpenStderr: !!e.Config.AttachStderr,
      CanRemove: false,
      DetachKeys: e.Config.DetachKeys ?? '',
      ProcessConfig: {
        tty: !!e.Config.Tty,
        entrypoint: e.Config.Cmd[0],
        arguments: e.Config.Cmd.slice(1),
        privileged: !!e.Config.Privileged,
        user: e.Config.User ?? '',
      },
    };
  }

  private async create(req: ApiRequest, res: ApiResponse): Promise<void> {
    const c = this.containers.store.get(req.params.id ?? '');
    const body = await req.json<ExecConfig>();
    if (!Array.isArray(body.Cmd) || body.Cmd.length === 0) throw invalid('No exec command specified');
    canExec(c.State.Status, c.Id);
    const id = randomBytes(32).toString('hex');
    this.execs.set(id, {
      ID: id,
      ContainerID: c.Id,
      Config: body,
      Running: false,
      ExitCode: null,
      Pid: 0,
      started: false,
    });
    this.ctx.events.emit(
      'container',
      `exec_create: ${body.Cmd.join(' ')}`,
      c.Id,
      eventAttributes(c, { execID: id }),
    );
    res.json(201, { Id: id });
  }

  /** Spawns the runtime's exec for an exec config; the process spec is written under the run root. */
  async spawn(
    containerId: string,
    execId: string,
    config: ExecConfig,
  ): Promise<{ child: ChildProcess; cleanup: () => Promise<void>; pidFile: string }> {
    const c = this.containers.store.get(containerId);
    canExec(c.State.Status, c.Id);
    const paths = this.containers.runner.paths(c.Id);
    const spec = JSON.parse(await readFile(join(paths.bundle, 'config.json'), 'utf8')) as {
      process: Record<string, unknown>;
    };
    const userDb = config.User
      ? {
          passwd: await readInRoot(paths.rootfs, '/etc/passwd'),
          group: await readInRoot(paths.rootfs, '/etc/group'),
        }
      : {};
    const dir = join(this.ctx.runRoot, 'exec');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${execId}.json`);
    await writeFileAtomic(
      file,
      JSON.stringify(execProcessSpec(spec.process, config, userDb, engineCapabilities())),
    );
    const runtime = this.containers.runtime;
    const pidFile = join(dir, `${execId}.pid`);
    const args = runtime.execArgs(c.Id, file, !!config.Tty, pidFile);
    // A TTY exec needs a terminal on the runtime's side: a pty relay (python's pty.spawn, else
    // script(1), which injects bytes at EOF) gives it one and copies bytes both ways.
    const child = config.Tty
      ? RELAY_PYTHON
        ? this.ctx.host.spawn(RELAY_PYTHON, ['-c', PTY_RELAY, runtime.path, ...args], {
            stdio: ['pipe', 'pipe', 'pipe'],
          })
        : this.ctx.host.spawn(
            'script',
            ['-qefc', [runtime.path, ...args].map(shellQuote).join(' '), '/dev/null'],
            {
              stdio: ['pipe', 'pipe', 'pipe'],
            },
          )
      : this.ctx.host.spawn(runtime.path, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    const cleanup = async () => {
      this.children.delete(child);
      await rm(file, { force: true });
      await rm(pidFile, { force: true });
    };
    return { child, cleanup, pidFile };
  }

  private async start(req: ApiRequest, res: ApiResponse): Promise<void> {
    const e = this.get(req.params.id ?? '');
    const body = await req.json<{ Detach?: boolean; Tty?: boolean }>();
    if (e.started) throw conflict(`Exec ${e.ID} has already been started`);
    const c = this.containers.store.get(e.ContainerID);
    canExec(c.State.Status, c.Id);
    e.started = true;
    const config = { ...e.Config, Tty: body.Tty ?? e.Config.Tty };
    const { child, cleanup, pidFile } = await this.spawn(c.Id, e.ID, config);
    e.pidFile = pidFile;
    e.Running = true;
    e.Pid = child.pid ?? 0;
    this.ctx.events.emit(
      'container',
      `exec_start: ${config.Cmd.join(' ')}`,
      c.Id,
      eventAttributes(c, { execID: e.ID }),
    );
    const exited = new Promise<number>((resolve) => {
      child.on('close', (code, signal) =>
        resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 9) : 255)),
      );
      child.on('error', () => resolve(126));
    });
    const finish = async (code: number) => {
      // The exit code is recorded before the stream closes: clients read it right after.
      e.ExitCode = code;
      e.Running = false;
      await cleanup();
      this.ctx.events.emit(
        'container',
        'exec_die',
        c.Id,
        eventAttributes(c, { execID: e.ID, exitCode: String(code) }),
      );
    };
    if (body.Detach) {
      child.stdin?.end();
      child.stdout?.resume();
      child.stderr?.resume();
      void exited.then(finish);
      res.empty(200);
      return;
    }
    const sock = res.hijack(
      config.Tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream',
    );
    pump(child, sock, !!config.Tty, !!config.AttachStdin);
    const code = await exited;
    await finish(code);
    sock.end();
  }
}

/** Runs argv on a new pty, copying stdin/stdout, exiting with its code. */
const PTY_RELAY = 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))';

/** Wires the process's stdio to the hijacked connection. */
function pump(child: ChildProcess, sock: Duplex, tty: boolean, stdin: boolean): void {
  const send = (stream: 1 | 2) => (d: Buffer) => {
    if (!sock.writableEnded) sock.write(tty ? d : frame(stream === 1 ? STREAM.stdout : STREAM.stderr, d));
  };
  child.stdout?.on('data', send(1));
  child.stderr?.on('data', send(2));
  if (stdin && child.stdin) {
    sock.on('data', (d: Buffer) => child.stdin?.write(d));
    sock.on('end', () => child.stdin?.end());
  } else child.stdin?.end();
  child.stdin?.on('error', () => undefined);
  sock.on('error', () => undefined);
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGTERM: 15,
  SIGPIPE: 13,
};
const signalNumber = (s: string) => SIGNALS[s];

import type { ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { matchLabels, matchNoLabels } from '../api/filters.js';
import type { ApiRequest, ApiResponse } from '../api/route.js';
import type { ContainerImageConfig } from '../contracts.js';
import { conflict, invalid } from '../errors.js';
import { applyChanges } from '../images/changes.js';
import { parseLogTime, parseTail } from '../logs/cri-log.js';
import { streamLog } from '../logs/log-reader.js';
import { startStdinRelay } from '../supervisor/stdin-relay.js';
import type { ContainerConfig } from './api-types.js';
import { type ContainerRecord, eventAttributes } from './container-record.js';
import type { ContainerService } from './container-service.js';

const isRunning = (s: string) => s === 'running' || s === 'paused' || s === 'restarting';

/** `GET /containers/{id}/logs`: stdout/stderr, follow, tail, since, until, timestamps; multiplexed unless TTY. */
export async function logs(svc: ContainerService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const c = svc.store.get(req.params.id ?? '');
  const stdout = req.flag('stdout');
  const stderr = req.flag('stderr');
  if (!stdout && !stderr) throw invalid('Bad parameters: you must choose at least one stream');
  const follow = req.flag('follow') && isRunning(c.State.Status);
  const raw = !!c.Config.Tty;
  const out = res.stream(
    200,
    raw ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream',
  );
  const done = follow ? svc.lifecycle.wait(c, 'next-exit', req.signal) : Promise.resolve(undefined);
  await streamLog(
    svc.runner.paths(c.Id).log,
    {
      stdout,
      stderr,
      sinceMs: parseLogTime(req.query.get('since')),
      untilMs: parseLogTime(req.query.get('until')),
      tail: parseTail(req.query.get('tail')),
    },
    { out, raw, timestamps: req.flag('timestamps') },
    follow ? { done, signal: req.signal } : undefined,
  );
  out.end();
}

/**
 * `POST /containers/{id}/attach` (hijacked): output from now on (and the past with `logs=1`)
 * until the container's next exit. Input is not forwarded: conmon's attach socket is
 * SOCK_SEQPACKET, which Node cannot open.
 */
export async function attach(svc: ContainerService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const c = svc.store.get(req.params.id ?? '');
  const raw = !!c.Config.Tty;
  const log = svc.runner.paths(c.Id).log;
  const from = req.flag('logs') ? 0 : ((await stat(log).catch(() => undefined))?.size ?? 0);
  const sock = res.hijack(
    raw ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream',
  );
  const abort = new AbortController();
  sock.on('error', () => abort.abort());
  sock.on('close', () => abort.abort());
  const relay =
    c.Config.OpenStdin && req.flag('stdin') ? forwardStdin(svc, c, sock, abort.signal) : undefined;
  if (!relay) sock.on('data', () => undefined);
  svc.ctx.events.emit('container', 'attach', c.Id, eventAttributes(c));
  if (!req.flag('stream')) {
    if (from === 0) await streamLog(log, selection(req), { out: sock, raw, timestamps: false }, undefined);
    sock.end();
    return;
  }
  const done = svc.lifecycle.wait(c, 'next-exit', abort.signal);
  const drained = streamLog(
    log,
    selection(req),
    { out: sock, raw, timestamps: false },
    { done, signal: abort.signal },
    from,
  );
  svc.trackAttach(c.Id, drained);
  await drained;
  abort.abort();
  sock.end();
}

/**
 * Forwards the client's input to the container's stdin once it runs (input sent before the start
 * is buffered): through conmon's attach socket via the stdin relay.
 */
function forwardStdin(svc: ContainerService, c: ContainerRecord, sock: Duplex, signal: AbortSignal): true {
  const buffered: Buffer[] = [];
  let relay: ChildProcess | undefined;
  let ended = false;
  const connect = () => {
    if (relay || signal.aborted) return;
    relay = startStdinRelay(svc.ctx.host, svc.runner.paths(c.Id).bundle);
    relay?.stdin?.on('error', () => undefined);
    for (const b of buffered.splice(0)) relay?.stdin?.write(b);
    if (ended) relay?.stdin?.end();
  };
  sock.on('data', (d: Buffer) => (relay ? relay.stdin?.write(d) : buffered.push(d)));
  sock.on('end', () => {
    ended = true;
    relay?.stdin?.end();
  });
  const unsubscribe = svc.ctx.events.subscribe((e) => {
    if (e.Actor.ID === c.Id && e.Action === 'start') connect();
  });
  if (c.State.Status === 'running') connect();
  signal.addEventListener('abort', () => {
    unsubscribe();
    relay?.kill();
  });
  return true;
}

function selection(req: ApiRequest) {
  return { stdout: req.flag('stdout'), stderr: req.flag('stderr') };
}

/** `GET /containers/{id}/top?ps_args=`: the host's `ps` limited to the container's processes. */
export async function top(svc: ContainerService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const c = svc.store.get(req.params.id ?? '');
  if (!isRunning(c.State.Status)) throw conflict(`Container ${c.Id} is not running`);
  const psArgs = (req.query.get('ps_args') || '-ef').split(/\s+/).filter(Boolean);
  const pids = new Set(await svc.runtime.pids(c.Id));
  const out = await svc.ctx.host.run('ps', psArgs, { allowFailure: true });
  if (out.code !== 0) throw invalid(`ps: ${out.stderr.trim()}`);
  const [header = '', ...rows] = out.stdout.split('\n').filter(Boolean);
  const titles = header.trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol < 0) throw invalid(`Couldn't find PID field in ps output`);
  const processes = rows
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      const head = fields.slice(0, titles.length - 1);
      return [...head, fields.slice(titles.length - 1).join(' ')];
    })
    .filter((f) => pids.has(Number(f[pidCol])));
  res.json(200, { Titles: titles, Processes: processes });
}

/** `POST /commit?container=&repo=&tag=&comment=&author=&changes=&pause=`. */
export async function commit(svc: ContainerService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const c = svc.store.get(req.query.get('container') ?? '');
  const body = await req.json<ContainerConfig>();
  const repo = req.query.get('repo');
  const tag = req.query.get('tag');
  const base: ContainerImageConfig = {
    Env: c.Config.Env ?? undefined,
    Cmd: (c.Config.Cmd as string[] | null) ?? undefined,
    Entrypoint: (c.Config.Entrypoint as string[] | null) ?? undefined,
    WorkingDir: c.Config.WorkingDir,
    User: c.Config.User,
    ExposedPorts: c.Config.ExposedPorts ?? undefined,
    Volumes: c.Config.Volumes ?? undefined,
    Labels: c.Config.Labels ?? undefined,
    StopSignal: c.Config.StopSignal,
  };
  // docker CLI 20.10 sends `null` when no config is given.
  const patch = body !== null && typeof body === 'object' ? (body as ContainerImageConfig) : {};
  const merged = { ...base, ...(Object.keys(patch).length ? patch : {}) };
  const config = applyChanges(
    merged,
    req.query.getAll('changes').flatMap((s) => s.split('\n')),
  );
  const pause =
    req.query.get('pause') !== '0' && req.query.get('pause') !== 'false' && c.State.Status === 'running';
  if (pause) await svc.runtime.pause(c.Id);
  try {
    const image = await svc.deps.images.commit(c.Id, c.Image, config, {
      ...(repo ? { reference: tag ? `${repo}:${tag}` : repo } : {}),
      ...(req.query.get('comment') ? { comment: req.query.get('comment') as string } : {}),
      ...(req.query.get('author') ? { author: req.query.get('author') as string } : {}),
    });
    svc.ctx.events.emit(
      'container',
      'commit',
      c.Id,
      eventAttributes(c, { comment: req.query.get('comment') ?? '' }),
    );
    res.json(201, { Id: image.id });
  } finally {
    if (pause) await svc.runtime.resume(c.Id).catch(() => undefined);
  }
}

/** `POST /containers/prune`: removes stopped containers (filters `until`, `label`). */
export async function prune(svc: ContainerService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const filters = req.filters();
  const until = filters.until?.[0] ? parseLogTime(filters.until[0]) : undefined;
  const deleted: string[] = [];
  for (const c of svc.store.all()) {
    if (isRunning(c.State.Status)) continue;
    if (until !== undefined && Date.parse(c.Created) >= until) continue;
    if (
      !matchLabels(c.Config.Labels ?? {}, filters.label) ||
      !matchNoLabels(c.Config.Labels ?? {}, filters['label!'])
    )
      continue;
    await svc.remove(c.Id, false, false);
    deleted.push(c.Id);
  }
  res.json(200, { ContainersDeleted: deleted, SpaceReclaimed: 0 });
}

import { readFile } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import type { ApiRequest, ApiResponse } from '../api/route.js';
import type { ContainerRecord } from './container-record.js';
import type { ContainerService } from './container-service.js';
import { type StatsContext, type StatsFiles, statsBody } from './stats-body.js';

/** Where cgroup v1 controllers are mounted (the engine's containers live under `/berth/<id>`). */
const CGROUP_ROOT = '/sys/fs/cgroup';
/** Clock ticks per second of /proc/stat and cpuacct.stat (USER_HZ: 100 on every Linux port we run on). */
const USER_HZ = 100;
/** Pause between samples, as dockerd's collector uses. */
const INTERVAL_MS = 1000;

const read = (path: string) => readFile(path, 'utf8').catch(() => undefined);

/** Reads one sample of a running container's cgroup and network files. */
export async function readStatsFiles(id: string, pid: number): Promise<StatsFiles> {
  const cg = (controller: string, file: string) => read(`${CGROUP_ROOT}/${controller}/berth/${id}/${file}`);
  const [memoryUsage, memoryMaxUsage, memoryLimit, memoryFailcnt, memoryStat] = await Promise.all([
    cg('memory', 'memory.usage_in_bytes'),
    cg('memory', 'memory.max_usage_in_bytes'),
    cg('memory', 'memory.limit_in_bytes'),
    cg('memory', 'memory.failcnt'),
    cg('memory', 'memory.stat'),
  ]);
  const [cpuUsage, cpuPercpu, cpuacctStat, cpuStat, pidsCurrent, pidsMax] = await Promise.all([
    cg('cpuacct', 'cpuacct.usage'),
    cg('cpuacct', 'cpuacct.usage_percpu'),
    cg('cpuacct', 'cpuacct.stat'),
    cg('cpu', 'cpu.stat'),
    cg('pids', 'pids.current'),
    cg('pids', 'pids.max'),
  ]);
  const [blkioBytes, blkioOps, procStat, netDev] = await Promise.all([
    cg('blkio', 'blkio.throttle.io_service_bytes_recursive'),
    cg('blkio', 'blkio.throttle.io_serviced_recursive'),
    read('/proc/stat'),
    pid > 0 ? read(`/proc/${pid}/net/dev`) : Promise.resolve(undefined),
  ]);
  return {
    memoryUsage,
    memoryMaxUsage,
    memoryLimit,
    memoryFailcnt,
    memoryStat,
    cpuUsage,
    cpuPercpu,
    cpuacctStat,
    cpuStat,
    pidsCurrent,
    pidsMax,
    blkioBytes,
    blkioOps,
    procStat,
    netDev,
  };
}

const running = (c: ContainerRecord) => c.State.Status === 'running' || c.State.Status === 'paused';

/**
 * `GET /containers/{id}/stats`: `stream=false` answers one body whose `precpu_stats` come from a
 * sample a second earlier (so clients can compute CPU %), `one-shot=true` answers at once with
 * empty `precpu_stats`, and a stream sends a body every second until the client goes or the
 * container stops. A container that is not running gets one body of zeros, as dockerd answers.
 */
export async function stats(svc: ContainerService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const c = svc.store.get(req.params.id ?? '');
  const stream = !['0', 'false'].includes(req.query.get('stream') ?? '');
  const ctxOf = (): StatsContext => ({
    read: new Date(svc.ctx.now()).toISOString(),
    hostMemory: totalmem(),
    onlineCpus: availableParallelism(),
    ticksPerSecond: USER_HZ,
    id: c.Id,
    name: c.Name,
  });
  if (!running(c)) {
    res.json(200, statsBody({}, { ...ctxOf(), read: '0001-01-01T00:00:00Z' }, undefined));
    return;
  }
  let pre: { read: string; cpu: Record<string, unknown> } | undefined;
  const sample = async () => {
    const ctx = ctxOf();
    const body = statsBody(await readStatsFiles(c.Id, c.State.Pid), ctx, pre);
    pre = { read: ctx.read, cpu: body.cpu_stats as Record<string, unknown> };
    return body;
  };
  const pause = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        req.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, INTERVAL_MS);
      req.signal.addEventListener('abort', done, { once: true });
    });
  if (!stream) {
    if (!req.flag('one-shot')) {
      await sample();
      await pause();
    }
    res.json(200, await sample());
    return;
  }
  const out = res.stream(200, 'application/json');
  while (!req.signal.aborted && running(c) && !out.destroyed) {
    out.write(`${JSON.stringify(await sample())}\n`);
    await pause();
  }
  out.end();
}

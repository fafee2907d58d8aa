import type { Readable } from 'node:stream';
import { isBerthError } from '../errors/kinds.js';
import type { EnginePort } from '../reconcile/engine-port.js';
import { Label } from '../reconcile/labels.js';
import { AsyncQueue } from './async-queue.js';
import type { ContainerInfo } from './options.js';
import { psProject } from './ps.js';

/** `logs` options (Compose's flags). */
export interface LogsOptions {
  services?: string[];
  follow?: boolean;
  tail?: number | 'all';
  since?: string;
  timestamps?: boolean;
  /** Required with `follow`: ends the stream. */
  signal?: AbortSignal;
}

/** One line of a container's output. */
export interface LogLine {
  container: string;
  service: string;
  stream: 'stdout' | 'stderr';
  /** The line, without its newline. */
  text: string;
}

/**
 * The output of the project's containers, line by line, interleaved as it arrives. With `follow`,
 * a container that stops and starts again (a restart, a recreate under the same project) is
 * followed again from its start event: one event subscription watches the whole project.
 */
export function projectLogs(
  engine: EnginePort,
  project: string,
  options: LogsOptions = {},
): AsyncIterable<LogLine> {
  const queue = new AsyncQueue<LogLine>();
  const following = new Set<string>();
  const tasks = new Set<Promise<void>>();
  const wanted = (service: string) => !options.services?.length || options.services.includes(service);
  // A start event can arrive before the previous stream of the same container has ended: the
  // container is then followed again as soon as that stream ends, from the event's time.
  const restarted = new Map<string, string | undefined>();
  const follow = (c: Pick<ContainerInfo, 'id' | 'name' | 'service'>, since?: string) => {
    if (following.has(c.id)) {
      restarted.set(c.id, since);
      return;
    }
    following.add(c.id);
    const task = pump(engine, c, { ...options, since: since ?? options.since }, queue)
      .catch((err) => {
        if (!isBerthError(err, 'cancelled') && !isBerthError(err, 'not-found')) queue.fail(err);
      })
      .finally(() => {
        following.delete(c.id);
        tasks.delete(task);
        if (restarted.has(c.id) && !options.signal?.aborted) {
          const again = restarted.get(c.id);
          restarted.delete(c.id);
          follow(c, again);
        }
        if (!options.follow && tasks.size === 0) queue.end();
      });
    tasks.add(task);
  };
  const start = async () => {
    if (options.follow) watchStarts(engine, project, options.signal, wanted, follow, queue);
    const containers = await psProject(engine, { name: project }, { all: true, services: options.services });
    for (const c of containers) follow(c);
    if (!options.follow && containers.length === 0) queue.end();
  };
  start().catch((err) => queue.fail(err));
  options.signal?.addEventListener('abort', () => queue.end(), { once: true });
  return queue;
}

function watchStarts(
  engine: EnginePort,
  project: string,
  signal: AbortSignal | undefined,
  wanted: (service: string) => boolean,
  follow: (c: Pick<ContainerInfo, 'id' | 'name' | 'service'>, since?: string) => void,
  queue: AsyncQueue<LogLine>,
): void {
  const filters = { type: ['container'], event: ['start'], label: [`${Label.project}=${project}`] };
  (async () => {
    for await (const e of engine.system.events({ filters, signal })) {
      const service = e.Actor.Attributes[Label.service] ?? '';
      if (!wanted(service)) continue;
      // Output of the new run may be logged before the start event is: follow from the end of
      // the previous run (the engine keeps its FinishedAt until the next stop), all of it if none.
      const finished = await engine.containers
        .inspect(e.Actor.ID, { signal })
        .then((c) => c.State.FinishedAt)
        .catch(() => undefined);
      const since = finished && !finished.startsWith('0001-') ? unixSeconds(finished) : undefined;
      follow({ id: e.Actor.ID, name: e.Actor.Attributes.name ?? e.Actor.ID.slice(0, 12), service }, since);
    }
  })().catch((err) => {
    if (!isBerthError(err, 'cancelled') && !signal?.aborted) queue.fail(err);
  });
}

async function pump(
  engine: EnginePort,
  c: Pick<ContainerInfo, 'id' | 'name' | 'service'>,
  options: LogsOptions,
  queue: AsyncQueue<LogLine>,
): Promise<void> {
  const streams = await engine.containers.logs(c.id, {
    follow: options.follow,
    tail: options.tail,
    since: options.since,
    timestamps: options.timestamps,
    signal: options.signal,
  });
  const base = { container: c.name, service: c.service };
  await Promise.all([
    lines(streams.stdout, (text) => queue.push({ ...base, stream: 'stdout', text })),
    lines(streams.stderr, (text) => queue.push({ ...base, stream: 'stderr', text })),
  ]);
}

async function lines(stream: Readable, onLine: (line: string) => void): Promise<void> {
  let rest = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    const parts = (rest + String(chunk)).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) onLine(p.replace(/\r$/, ''));
  }
  if (rest) onLine(rest);
}

/** RFC 3339 with nanoseconds to the engine's `seconds.nanoseconds` form, keeping full precision. */
export function unixSeconds(rfc3339: string): string {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339);
  if (!m) return String(Date.parse(rfc3339) / 1000);
  const whole = Date.parse(`${m[1]}${m[3]}`) / 1000;
  return `${whole}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}`;
}

import type { ApiRequest, ApiResponse, Route } from '../api/route.js';
import { invalid } from '../errors.js';
import { resizeTerminal } from '../supervisor/conmon-control.js';
import type { CreateRequest } from './api-types.js';
import { archiveGet, archiveHead, archivePut } from './archive.js';
import type { ContainerService } from './container-service.js';
import { attach, commit, logs, prune, top } from './container-streams.js';
import { containerFilter } from './list-filters.js';
import { stats } from './stats-reader.js';
import type { WaitCondition } from './waiters.js';

type H = (svc: ContainerService, req: ApiRequest, res: ApiResponse) => Promise<void> | void;

const id = (req: ApiRequest) => req.params.id ?? '';

/** Optional integer query parameter; 400 when not a number. */
function intParam(req: ApiRequest, name: string): number | undefined {
  const v = req.query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw invalid(`invalid value for ${name}: ${v}`);
  return n;
}

const handlers: Array<[Route['method'], string, H]> = [
  [
    'POST',
    '/containers/create',
    async (svc, req, res) =>
      res.json(201, await svc.create(await req.json<CreateRequest>(), req.query.get('name'))),
  ],
  [
    'GET',
    '/containers/json',
    async (svc, req, res) => {
      const all = req.flag('all');
      const filters = req.filters();
      const match = containerFilter(filters, {
        imageMatches: (c, ref) =>
          c.Image === ref ||
          c.Image.startsWith(`sha256:${ref}`) ||
          c.Config.Image === ref ||
          c.Config.Image === `${ref}:latest`,
        networksOf: (c) => Object.keys((svc.networkSettings(c).Networks ?? {}) as object),
      });
      let list = svc.store
        .all()
        .filter(
          (c) =>
            all ||
            filters.status ||
            filters.exited ||
            c.State.Status === 'running' ||
            c.State.Status === 'paused' ||
            c.State.Status === 'restarting',
        )
        .filter(match)
        .sort((a, b) => b.Created.localeCompare(a.Created));
      const limit = intParam(req, 'limit');
      if (limit !== undefined && limit > 0) list = list.slice(0, limit);
      res.json(200, await svc.listEntries(list, req.flag('size')));
    },
  ],
  ['GET', '/containers/{id}/json', (svc, req, res) => res.json(200, svc.inspect(id(req)))],
  [
    'POST',
    '/containers/{id}/start',
    async (svc, req, res) => {
      const c = svc.store.get(id(req));
      try {
        await svc.lifecycle.start(c);
      } catch (err) {
        // Docker removes an AutoRemove container whose start failed (`docker run --rm` then exits).
        if (c.HostConfig.AutoRemove && (err as { kind?: string }).kind !== 'not-modified')
          await svc.remove(c.Id, true, true).catch(() => undefined);
        throw err;
      }
      res.empty(204);
    },
  ],
  [
    'POST',
    '/containers/{id}/stop',
    async (svc, req, res) => {
      await svc.lifecycle.stop(
        svc.store.get(id(req)),
        intParam(req, 't'),
        req.query.get('signal') ?? undefined,
      );
      res.empty(204);
    },
  ],
  [
    'POST',
    '/containers/{id}/kill',
    async (svc, req, res) => {
      await svc.lifecycle.kill(svc.store.get(id(req)), req.query.get('signal') ?? undefined);
      res.empty(204);
    },
  ],
  [
    'POST',
    '/containers/{id}/restart',
    async (svc, req, res) => {
      const c = svc.store.get(id(req));
      await svc.lifecycle.stop(c, intParam(req, 't'), req.query.get('signal') ?? undefined).catch((err) => {
        if ((err as { kind?: string }).kind !== 'not-modified') throw err;
      });
      await svc.lifecycle.start(c);
      svc.ctx.events.emit('container', 'restart', c.Id, {
        ...(c.Config.Labels ?? {}),
        name: c.Name.slice(1),
        image: c.Config.Image ?? c.Image,
      });
      res.empty(204);
    },
  ],
  [
    'POST',
    '/containers/{id}/pause',
    async (svc, req, res) => {
      await svc.lifecycle.pause(svc.store.get(id(req)));
      res.empty(204);
    },
  ],
  [
    'POST',
    '/containers/{id}/unpause',
    async (svc, req, res) => {
      await svc.lifecycle.unpause(svc.store.get(id(req)));
      res.empty(204);
    },
  ],
  [
    'POST',
    '/containers/{id}/wait',
    async (svc, req, res) => {
      const c = svc.store.get(id(req));
      const condition = (req.query.get('condition') || 'not-running') as WaitCondition;
      if (!['not-running', 'next-exit', 'removed'].includes(condition))
        throw invalid(`invalid condition: "${condition}"`);
      // Headers go out at once: `docker run` waits for them before it starts the container.
      const out = res.stream(200, 'application/json');
      const done = await svc.lifecycle.wait(c, condition, req.signal);
      if (done)
        out.end(
          // A failed start is reported by the start call; the wait carries its exit code (127/126/128).
          `${JSON.stringify({ StatusCode: done.State.ExitCode, Error: null })}\n`,
        );
      else out.end();
    },
  ],
  [
    'DELETE',
    '/containers/{id}',
    async (svc, req, res) => {
      await svc.remove(id(req), req.flag('force'), req.flag('v'));
      res.empty(204);
    },
  ],
  [
    'POST',
    '/containers/{id}/rename',
    async (svc, req, res) => {
      const name = req.query.get('name');
      if (!name) throw invalid('name is required');
      await svc.rename(id(req), name);
      res.empty(204);
    },
  ],
  [
    'POST',
    '/containers/{id}/resize',
    async (svc, req, res) => {
      const c = svc.store.get(id(req));
      if (c.Config.Tty && c.State.Status === 'running') {
        await resizeTerminal(svc.runner.paths(c.Id).bundle, intParam(req, 'h') ?? 0, intParam(req, 'w') ?? 0);
      }
      res.empty(200);
    },
  ],
  [
    'GET',
    '/containers/{id}/export',
    async (svc, req, res) => res.pipe(200, 'application/x-tar', await svc.exportRootfs(id(req))),
  ],
  ['GET', '/containers/{id}/logs', logs],
  ['POST', '/containers/{id}/attach', attach],
  ['GET', '/containers/{id}/top', top],
  ['GET', '/containers/{id}/stats', stats],
  ['POST', '/commit', commit],
  ['HEAD', '/containers/{id}/archive', archiveHead],
  ['GET', '/containers/{id}/archive', archiveGet],
  ['PUT', '/containers/{id}/archive', archivePut],
  ['POST', '/containers/prune', prune],
];

/** The `/containers/*` and `/commit` endpoints. */
export function containerRoutes(svc: ContainerService): Route[] {
  return handlers.map(([method, path, h]) => ({ method, path, handler: (req, res) => h(svc, req, res) }));
}

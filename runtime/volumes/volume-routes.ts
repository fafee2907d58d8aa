import type { Route } from '../api/route.js';
import { EngineError, invalid } from '../errors.js';
import type { VolumeService } from './volume-service.js';

/** The body of `POST /volumes/create`. */
interface CreateBody {
  Name?: unknown;
  Driver?: unknown;
  DriverOpts?: unknown;
  Labels?: unknown;
}

/** `/volumes` endpoints: list, create, prune, inspect, remove. */
export function volumeRoutes(svc: VolumeService): Route[] {
  return [
    {
      method: 'GET',
      path: '/volumes',
      handler: (req, res) => res.json(200, { Volumes: svc.list(req.filters()), Warnings: [] }),
    },
    {
      method: 'POST',
      path: '/volumes/create',
      handler: async (req, res) => {
        const body = await req.json<CreateBody>();
        const { name, labels, driverOpts } = parseCreateBody(body);
        res.json(201, await svc.create(name, labels, driverOpts));
      },
    },
    {
      method: 'POST',
      path: '/volumes/prune',
      handler: async (req, res) => res.json(200, await svc.prune(req.filters())),
    },
    {
      method: 'GET',
      path: '/volumes/{name}',
      handler: (req, res) => res.json(200, svc.inspect(req.params.name!)),
    },
    {
      method: 'DELETE',
      path: '/volumes/{name}',
      handler: async (req, res) => {
        await svc.remove(req.params.name!, req.flag('force'));
        res.empty(204);
      },
    },
  ];
}

/** Checks a create body's types; only the `local` driver exists (others are a 404, as a missing plugin). */
export function parseCreateBody(body: CreateBody) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('POST /volumes/create: expected a JSON object');
  }
  const driver = body.Driver || 'local';
  if (driver !== 'local') {
    throw new EngineError(
      'not-found',
      `error looking up volume plugin ${driver}: plugin "${driver}" not found`,
    );
  }
  if (body.Name !== undefined && body.Name !== null && typeof body.Name !== 'string') {
    throw invalid('POST /volumes/create: Name must be a string');
  }
  return {
    name: (body.Name as string | null | undefined) || undefined,
    labels: stringMap('Labels', body.Labels),
    driverOpts: stringMap('DriverOpts', body.DriverOpts),
  };
}

/** A `{string: string}` field (null or absent = empty); anything else is a 400. */
function stringMap(field: string, value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  const ok =
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string');
  if (!ok) throw invalid(`POST /volumes/create: ${field} must be an object of strings`);
  return value as Record<string, string>;
}

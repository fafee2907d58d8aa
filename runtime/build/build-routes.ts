import { rm } from 'node:fs/promises';
import type { ApiRequest, Route } from '../api/route.js';
import { EngineError, invalid } from '../errors.js';
import { decodeRegistryConfig } from '../registry/registry-auth.js';
import { receiveContext } from './build-context.js';
import { executeBuild } from './build-executor.js';
import { BuildOutput } from './build-output.js';
import type { BuildService } from './build-service.js';
import type { BuildOptions } from './build-state.js';
import { parseDockerfile } from './dockerfile-parse.js';
import { RunFailed } from './run-step.js';

function jsonParam<T>(req: ApiRequest, name: string, fallback: T): T {
  const raw = req.query.get(name);
  if (!raw) return fallback;
  try {
    const value: unknown = JSON.parse(raw);
    if (value === null) return fallback;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as T;
  } catch {
    throw invalid(`invalid ${name} parameter: ${JSON.stringify(raw.slice(0, 200))} is not a JSON object`);
  }
}

/** `cachefrom`: a JSON array of image references. */
function cacheFromParam(req: ApiRequest): string[] {
  const raw = req.query.get('cachefrom');
  if (!raw) return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw invalid(
      `invalid cachefrom parameter: ${JSON.stringify(raw.slice(0, 200))} is not a JSON array of strings`,
    );
  return (value as string[]).filter(Boolean);
}

/** The build options of a `POST /build` query. */
export function buildOptions(req: ApiRequest): BuildOptions {
  const network = req.query.get('networkmode') ?? '';
  const cacheFrom = cacheFromParam(req);
  return {
    tags: req.query.getAll('t').filter(Boolean),
    buildArgs: jsonParam(req, 'buildargs', {}),
    labels: jsonParam(req, 'labels', {}),
    target: req.query.get('target') ?? undefined,
    noCache: req.flag('nocache'),
    ...(req.flag('forcerm') ? { forceRm: true } : {}),
    ...(cacheFrom.length ? { cacheFrom } : {}),
    pull: req.flag('pull'),
    registryConfig: decodeRegistryConfig(req.headers['x-registry-config']),
    networkMode: network === '' || network === 'default' ? 'default' : network,
    runHostConfig: runHostConfig(req),
  };
}

/** Numeric query parameters of `POST /build` and the HostConfig fields they set on RUN containers. */
const RUN_RESOURCES: Record<string, string> = {
  memory: 'Memory',
  memswap: 'MemorySwap',
  cpushares: 'CpuShares',
  cpuperiod: 'CpuPeriod',
  cpuquota: 'CpuQuota',
  shmsize: 'ShmSize',
};

/** The HostConfig of RUN containers from the build's query (Docker applies these to every RUN). */
export function runHostConfig(req: ApiRequest): Record<string, unknown> {
  const host: Record<string, unknown> = {};
  for (const [param, field] of Object.entries(RUN_RESOURCES)) {
    const raw = req.query.get(param);
    if (raw === null || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value))
      throw invalid(`invalid ${param} parameter: ${JSON.stringify(raw)} is not an integer`);
    if (value !== 0) host[field] = value;
  }
  const cpuset = req.query.get('cpusetcpus');
  if (cpuset) host.CpusetCpus = cpuset;
  const hosts = req.query
    .getAll('extrahosts')
    .flatMap((h) => h.split(','))
    .map((h) => h.trim())
    .filter(Boolean);
  if (hosts.length) host.ExtraHosts = hosts;
  const ulimits = req.query.get('ulimits');
  if (ulimits) {
    try {
      const parsed: unknown = JSON.parse(ulimits);
      if (!Array.isArray(parsed)) throw new Error('not an array');
      if (parsed.length) host.Ulimits = parsed;
    } catch {
      throw invalid(
        `invalid ulimits parameter: ${JSON.stringify(ulimits.slice(0, 200))} is not a JSON array`,
      );
    }
  }
  return host;
}

/** `POST /build` and `POST /build/prune`. */
export function buildRoutes(svc: BuildService): Route[] {
  return [
    {
      method: 'POST',
      path: '/build',
      handler: async (req, res) => {
        const options = buildOptions(req);
        if (req.query.get('version') === '2') {
          throw invalid(
            'BuildKit builds (version=2) are not supported by this engine: use the classic builder (DOCKER_BUILDKIT=0)',
          );
        }
        if (req.query.get('remote'))
          throw invalid('remote build contexts are not supported: send the context as the request body');
        const dir = await svc.contextDir();
        try {
          // Bad input (context, Dockerfile, tags) is an HTTP error before any progress is sent.
          const context = await receiveContext(req.raw, dir, req.query.get('dockerfile') ?? '', svc.ctx.host);
          const file = parseDockerfile(context.dockerfile);
          const stream = res.stream(200, 'application/json');
          const out = new BuildOutput(stream, req.flag('q'));
          try {
            await executeBuild(svc.deps, file, context.root, options, out, req.signal);
          } catch (err) {
            if (!(err instanceof EngineError)) svc.ctx.log('error', 'build failed', { error: String(err) });
            out.error(
              err instanceof Error ? err.message : String(err),
              err instanceof RunFailed ? err.code : undefined,
            );
          } finally {
            stream.end();
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    },
    {
      method: 'POST',
      path: '/build/prune',
      handler: async (_req, res) => {
        // The cache is an index over images the engine keeps: pruning forgets every entry.
        const store = svc.deps.store();
        const removed = await svc.cache.prune(true, (id) => store.snapshot.images[id] !== undefined);
        res.json(200, { CachesDeleted: removed > 0 ? [] : null, SpaceReclaimed: 0 });
      },
    },
  ];
}

import type { Route } from '../api/route.js';
import { invalid } from '../errors.js';
import type { CreateNetworkBody } from './network-records.js';
import type { NetworkService } from './network-service.js';
import type { EndpointConfig } from './network-state.js';
import { matchesFilters, networkView } from './network-views.js';

/** Parses Docker's `until` filter (RFC 3339 or Unix seconds, or a Go duration like `24h`) to ms. */
function untilMs(value: string, now: number): number {
  const duration = /^(\d+)(s|m|h)$/.exec(value);
  if (duration)
    return now - Number(duration[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[duration[2] as 's' | 'm' | 'h'];
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalid(`invalid filter 'until=${value}'`);
  return ms;
}

/** Whether a network passes prune's `label`, `label!` and `until` filters. */
function prunable(
  labels: Record<string, string>,
  created: string,
  filters: Record<string, string[]>,
  now: number,
): boolean {
  const has = (f: string) => {
    const eq = f.indexOf('=');
    return eq < 0 ? f in labels : labels[f.slice(0, eq)] === f.slice(eq + 1);
  };
  if (filters.label && !filters.label.every(has)) return false;
  if (filters['label!']?.some(has)) return false;
  if (filters.until && !filters.until.every((u) => Date.parse(created) < untilMs(u, now))) return false;
  return true;
}

/** The `/networks*` endpoints. */
export function networkRoutes(svc: NetworkService): Route[] {
  const state = () => svc.core.state;
  return [
    {
      method: 'GET',
      path: '/networks',
      handler: (req, res) => {
        const filters = req.filters();
        const list = state().networks.filter((n) => matchesFilters(state(), n, filters));
        res.json(
          200,
          list.map((n) => networkView(state(), n, false)),
        );
      },
    },
    {
      method: 'GET',
      path: '/networks/{id}',
      handler: (req, res) => res.json(200, networkView(state(), svc.network(req.params.id ?? ''))),
    },
    {
      method: 'POST',
      path: '/networks/create',
      handler: async (req, res) =>
        res.json(201, await svc.createNetwork(await req.json<CreateNetworkBody>())),
    },
    {
      method: 'POST',
      path: '/networks/prune',
      handler: async (req, res) => {
        const filters = req.filters();
        const now = svc.ctx.now();
        const used = new Set(
          Object.values(state().attached).flatMap((c) => c.endpoints.map((e) => e.networkId)),
        );
        const candidates = state().networks.filter(
          (n) => !n.predefined && !used.has(n.Id) && prunable(n.Labels, n.Created, filters, now),
        );
        const deleted: string[] = [];
        for (const n of candidates) {
          await svc.removeNetwork(n.Id).then(
            () => deleted.push(n.Name),
            () => undefined,
          );
        }
        res.json(200, { NetworksDeleted: deleted });
      },
    },
    {
      method: 'POST',
      path: '/networks/{id}/connect',
      handler: async (req, res) => {
        const body = await req.json<{ Container?: string; EndpointConfig?: EndpointConfig | null }>();
        if (!body.Container) throw invalid('Container is required');
        await svc.connect(req.params.id ?? '', body.Container, body.EndpointConfig ?? {});
        res.empty(200);
      },
    },
    {
      method: 'POST',
      path: '/networks/{id}/disconnect',
      handler: async (req, res) => {
        const body = await req.json<{ Container?: string; Force?: boolean }>();
        if (!body.Container) throw invalid('Container is required');
        await svc.disconnect(req.params.id ?? '', body.Container);
        res.empty(200);
      },
    },
    {
      method: 'DELETE',
      path: '/networks/{id}',
      handler: async (req, res) => {
        await svc.removeNetwork(req.params.id ?? '');
        res.empty(204);
      },
    },
  ];
}

import { checkFilterKeys, matchLabels } from '../api/filters.js';
import type { ApiRequest, ApiResponse, Route } from '../api/route.js';
import { invalid } from '../errors.js';
import { pullImage } from '../registry/pull.js';
import { chainIds } from './chain-id.js';
import { createdMs } from './image-config.js';
import { deleteImage, pruneImages } from './image-delete.js';
import type { ImageService } from './image-service.js';
import { refsOf } from './image-state.js';
import { historyView, type ImageFacts, inspectView, listEntry } from './image-views.js';
import { importImage } from './import.js';
import { loadImages } from './load.js';
import { familiarKey, familiarName, parseReference, referenceKey, withDefaultTag } from './reference.js';
import { saveImages } from './save.js';

/** The `/images` endpoints. */
export function imageRoutes(service: ImageService): Route[] {
  const facts = (id: string): ImageFacts => ({
    entry: service.store.entry(id),
    config: service.store.config(id),
    state: service.store.snapshot,
  });
  const resolve = (req: ApiRequest) => service.store.resolveId(req.params.name ?? '');
  return [
    {
      method: 'GET',
      path: '/images/json',
      handler: (req, res) => res.json(200, listImages(service, req, facts)),
    },
    { method: 'POST', path: '/images/create', handler: (req, res) => createImage(service, req, res) },
    { method: 'POST', path: '/images/load', handler: (req, res) => loadImages(service, req, res) },
    {
      method: 'POST',
      path: '/images/prune',
      handler: async (req, res) => res.json(200, await pruneImages(service, req.filters())),
    },
    {
      method: 'GET',
      path: '/images/get',
      handler: (req, res) => saveImages(service, req.query.getAll('names'), res),
    },
    {
      method: 'GET',
      path: '/images/{name*}/get',
      handler: (req, res) => saveImages(service, [req.params.name ?? ''], res),
    },
    {
      method: 'GET',
      path: '/images/{name*}/history',
      handler: (req, res) => {
        const image = facts(resolve(req));
        const ancestors: ImageFacts[] = [];
        for (let p = image.entry.parent; p && service.store.snapshot.images[p] && ancestors.length < 1000; ) {
          const parent = facts(p);
          ancestors.push(parent);
          p = parent.entry.parent;
        }
        res.json(200, historyView(image, ancestors));
      },
    },
    {
      method: 'GET',
      path: '/images/{name*}/json',
      handler: (req, res) => {
        const id = resolve(req);
        const chains = chainIds(service.store.entry(id).diffIds);
        const dirs = chains.map((c) => service.store.snapshots.upperDir(c)).reverse();
        const driver = service.store.snapshots.driver;
        res.json(200, inspectView(facts(id), { driver, upper: dirs[0] ?? '', lower: dirs.slice(1) }));
      },
    },
    {
      method: 'POST',
      path: '/images/{name*}/tag',
      handler: (req, res) => tagImage(service, req, res, resolve(req)),
    },
    {
      method: 'DELETE',
      path: '/images/{name*}',
      handler: async (req, res) =>
        res.json(
          200,
          await deleteImage(service, req.params.name ?? '', {
            force: req.flag('force'),
            noprune: req.flag('noprune'),
          }),
        ),
    },
  ];
}

function listImages(service: ImageService, req: ApiRequest, facts: (id: string) => ImageFacts): unknown[] {
  const filters = req.filters();
  checkFilterKeys(filters, ['reference', 'dangling', 'label', 'before', 'since', 'until']);
  const state = service.store.snapshot;
  const parents = new Set(Object.values(state.images).map((i) => i.parent));
  const dangling = filters.dangling?.[0];
  if (dangling !== undefined && !['true', 'false', '1', '0'].includes(dangling)) {
    throw invalid(`invalid filter 'dangling=${dangling}'`);
  }
  const bound = (key: string) => {
    const ref = filters[key]?.[0];
    return ref === undefined ? undefined : createdMs(service.store.config(service.store.resolveId(ref)));
  };
  const before = bound('before');
  const since = bound('since');
  return Object.values(state.images)
    .filter((image) => {
      const refs = refsOf(state, image.id);
      const config = service.store.config(image.id);
      const created = createdMs(config);
      // Intermediate images (untagged parents of other images) show only with `all`.
      if (!req.flag('all') && refs.length === 0 && parents.has(image.id)) return false;
      if (dangling !== undefined && (refs.length === 0) !== (dangling === 'true' || dangling === '1'))
        return false;
      if (!matchLabels(config.config.Labels ?? {}, filters.label)) return false;
      if (before !== undefined && created >= before) return false;
      if (since !== undefined && created <= since) return false;
      if (filters.reference && !filters.reference.some((p) => refs.some((k) => referenceMatches(p, k))))
        return false;
      return true;
    })
    .sort((a, b) => createdMs(service.store.config(b.id)) - createdMs(service.store.config(a.id)))
    .map((image) => {
      const entry = listEntry(facts(image.id));
      // With a reference filter, Docker lists only the names that matched.
      const patterns = filters.reference;
      if (patterns)
        entry.RepoTags = (entry.RepoTags as string[]).filter((t) =>
          patterns.some((p) => referenceMatches(p, t)),
        );
      return entry;
    });
}

/** Docker's `reference` filter: a glob against `name` or `name:tag` in familiar form. */
export function referenceMatches(pattern: string, key: string): boolean {
  const familiar = familiarKey(key);
  const name = familiarName(parseReference(key));
  const glob = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  return glob.test(familiar) || glob.test(name);
}

async function tagImage(service: ImageService, req: ApiRequest, res: ApiResponse, id: string): Promise<void> {
  const repo = req.query.get('repo') ?? '';
  const tag = req.query.get('tag') ?? '';
  if (!repo) throw invalid('repository name must have at least one component');
  const ref = parseReference(repo);
  if (ref.digest) throw invalid('refusing to create a tag with a digest reference');
  const key = referenceKey(withDefaultTag(tag ? { ...ref, tag: parseReference(`x:${tag}`).tag } : ref));
  await service.store.tag(id, key);
  service.ctx.events.emit('image', 'tag', id, { name: familiarKey(key) });
  res.empty(201);
}

async function createImage(service: ImageService, req: ApiRequest, res: ApiResponse): Promise<void> {
  if (req.query.has('fromSrc')) return importImage(service, req, res);
  const from = req.query.get('fromImage');
  if (!from) throw invalid('either fromSrc or fromImage must be given');
  return pullImage(service, req, res);
}

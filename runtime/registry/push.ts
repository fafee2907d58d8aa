import { Readable } from 'node:stream';
import type { ApiRequest, ApiResponse } from '../api/route.js';
import { notFound } from '../errors.js';
import { chainIds } from '../images/chain-id.js';
import type { ImageService } from '../images/image-service.js';
import type { LayerEntry } from '../images/image-state.js';
import { familiarName, type ImageReference, parseReference, referenceKey } from '../images/reference.js';
import { ensureCompressed } from './compress-layer.js';
import { limiter } from './concurrency.js';
import { DistributionClient } from './distribution-client.js';
import { registryEndpoint } from './endpoint.js';
import { buildManifest } from './image-manifest.js';
import { type ProgressMessage, progressLine, progressStream, shortId, statusLine } from './progress.js';
import { decodeRegistryAuth } from './registry-auth.js';

/** Layers uploaded at once (Docker's default `max-concurrent-uploads` is 5). */
const PARALLEL_UPLOADS = 5;

/**
 * `POST /images/{name}/push?tag=`: pushes one tag (or every tag of the repository when none is
 * given). Each blob is HEADed first and uploaded only when missing, mounted from another
 * repository of the same registry when one of ours holds it; then the manifest is put.
 */
export async function pushImage(service: ImageService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const named = parseReference(req.params.name ?? '');
  const repo: ImageReference = { domain: named.domain, path: named.path };
  const tag = req.query.get('tag') || named.tag;
  const state = service.store.snapshot;
  const tags = tag
    ? [tag]
    : Object.keys(state.refs)
        .map((k) => parseReference(k))
        .filter((r) => r.domain === repo.domain && r.path === repo.path && r.tag)
        .map((r) => r.tag as string);
  const targets = tags.map((t) => {
    const id = state.refs[referenceKey({ ...repo, tag: t })];
    if (!id)
      throw notFound(
        `An image does not exist locally with the tag: ${familiarName(repo)}${tag ? `:${t}` : ''}`,
      );
    return { tag: t, id };
  });
  if (!targets.length) throw notFound(`An image does not exist locally with the tag: ${familiarName(repo)}`);
  const sources = mountSources(service, repo);
  const credentials = decodeRegistryAuth(req.headers['x-registry-auth']);
  const endpoint = registryEndpoint(repo.domain, service.ctx.options.insecureRegistries);
  const scopes = [...new Set([...sources.values()].flat())].map((p) => `repository:${p}:pull`);
  const client = new DistributionClient(endpoint, repo.path, credentials, ['pull', 'push'], scopes);
  await progressStream(res, async (report) => {
    report(statusLine(`The push refers to repository [${familiarName(repo)}]`));
    for (const target of targets) {
      const { digest, size } = await pushTag(service, client, target, sources, report);
      await service.store.tag(target.id, referenceKey({ ...repo, digest }));
      service.ctx.events.emit('image', 'push', `${familiarName(repo)}:${target.tag}`, {
        name: `${familiarName(repo)}:${target.tag}`,
      });
      report(statusLine(`${target.tag}: digest: ${digest} size: ${size}`));
      report({ progressDetail: {}, aux: { Tag: target.tag, Digest: digest, Size: size } });
    }
  });
}

async function pushTag(
  service: ImageService,
  client: DistributionClient,
  target: { tag: string; id: string },
  sources: Map<string, string[]>,
  report: (m: ProgressMessage) => void,
): Promise<{ digest: string; size: number }> {
  const { store } = service;
  const chains = chainIds(store.entry(target.id).diffIds);
  const stack = chains.map((c) => {
    const layer = store.snapshot.layers[c];
    if (!layer) throw notFound(`layer ${c} of ${target.id} is missing`);
    return layer;
  });
  const topFirst = [...stack].reverse();
  for (const layer of topFirst) report(statusLine('Preparing', shortId(layer.diffId)));
  const run = limiter(PARALLEL_UPLOADS);
  const pushed = await Promise.all(
    topFirst.map((layer) =>
      run(() => pushLayer(service, client, layer, sources.get(layer.chainId) ?? [], report)),
    ),
  );
  const layers = pushed.reverse();
  const config = { digest: target.id, size: await store.blobs.size(target.id) };
  await pushBlob(service, client, config.digest, config.size, sources.get(config.digest) ?? []);
  const manifest = buildManifest(config, layers);
  const digest = await client.putManifest(target.tag, manifest.bytes, manifest.mediaType);
  return { digest, size: manifest.bytes.length };
}

async function pushLayer(
  service: ImageService,
  client: DistributionClient,
  original: LayerEntry,
  from: readonly string[],
  report: (m: ProgressMessage) => void,
): Promise<LayerEntry> {
  const id = shortId(original.diffId);
  const layer = await ensureCompressed(service.store, original);
  const progress = (n: number) => report(progressLine('Pushing', id, n, layer.blobSize));
  const outcome = await pushBlob(service, client, layer.blob, layer.blobSize, from, progress);
  report(statusLine(outcome === 'exists' ? 'Layer already exists' : outcome, id));
  return layer;
}

/**
 * Puts one stored blob in the repository unless it is there: HEAD, then a cross-repository
 * mount when another repository may hold it, else a monolithic upload. Says what happened.
 */
async function pushBlob(
  service: ImageService,
  client: DistributionClient,
  digest: string,
  size: number,
  from: readonly string[],
  progress?: (sent: number) => void,
): Promise<'exists' | 'Pushed' | `Mounted from ${string}`> {
  if (await client.hasBlob(digest)) return 'exists';
  const source = from[0];
  let session: URL | undefined;
  if (source) {
    const started = await client.startUpload(digest, source);
    if (started.mounted) return `Mounted from ${source}`;
    // Not mounted: the registry opened an upload session instead; use it.
    session = started.location;
  }
  await upload(service, client, digest, size, progress, session);
  return 'Pushed';
}

/** A monolithic upload of a stored blob (POST for a session unless given, then PUT with the bytes). */
async function upload(
  service: ImageService,
  client: DistributionClient,
  digest: string,
  size: number,
  progress?: (sent: number) => void,
  session?: URL,
): Promise<void> {
  const location = session ?? (await startSession(client, digest));
  const step = Math.max(64 * 1024, Math.floor(size / 100));
  await client.finishUpload(location, digest, size, () =>
    Readable.from(
      (async function* () {
        let sent = 0;
        let shown = 0;
        for await (const chunk of service.store.blobs.open(digest) as AsyncIterable<Buffer>) {
          sent += chunk.length;
          if (progress && (sent - shown >= step || sent === size)) {
            shown = sent;
            progress(sent);
          }
          yield chunk;
        }
      })(),
    ),
  );
}

async function startSession(client: DistributionClient, digest: string): Promise<URL> {
  const started = await client.startUpload(digest);
  if (started.mounted) throw new Error('registry mounted a blob that was not asked to be mounted');
  return started.location;
}

/**
 * Other repositories of the same registry that hold each layer (by chainID) or config (by image
 * ID), from the names in the store: a push of a blob one of them has can be a cross-repository mount.
 */
function mountSources(service: ImageService, repo: ImageReference): Map<string, string[]> {
  const state = service.store.snapshot;
  const out = new Map<string, string[]>();
  for (const [key, id] of Object.entries(state.refs)) {
    const ref = parseReference(key);
    if (ref.domain !== repo.domain || ref.path === repo.path) continue;
    const image = state.images[id];
    if (!image) continue;
    // Layers by chainID, and the config by the image ID.
    for (const chain of [...chainIds(image.diffIds), id]) {
      const list = out.get(chain) ?? [];
      if (!list.includes(ref.path)) list.push(ref.path);
      out.set(chain, list.slice(0, 3));
    }
  }
  return out;
}

import type { ApiRequest, ApiResponse } from '../api/route.js';
import { EngineError, notFound } from '../errors.js';
import { chainIds } from '../images/chain-id.js';
import type { ImageService } from '../images/image-service.js';
import type { LayerEntry } from '../images/image-state.js';
import {
  familiarKey,
  familiarName,
  type ImageReference,
  parseReference,
  referenceKey,
  withDefaultTag,
} from '../images/reference.js';
import { limiter } from './concurrency.js';
import { DistributionClient, RegistryError } from './distribution-client.js';
import { registryEndpoint } from './endpoint.js';
import { downloadLayer } from './layer-download.js';
import { hostPlatform, type Platform } from './manifest.js';
import { type ProgressMessage, progressLine, progressStream, shortId, statusLine } from './progress.js';
import { parsePlatform, type ResolvedImage, resolveImage } from './pull-resolve.js';
import { decodeRegistryAuth, type RegistryCredentials } from './registry-auth.js';

/** Layers downloaded at once (Docker's default `max-concurrent-downloads` is 3). */
const PARALLEL_DOWNLOADS = 3;

/**
 * The reference `POST /images/create?fromImage=&tag=` asks for (a digest may come as the tag).
 * Neither tag nor digest means every tag, as dockerd reads it (`docker pull -a`).
 */
export function pullReference(fromImage: string, tag: string | null): ImageReference {
  if (!tag || fromImage.includes('@')) return parseReference(fromImage);
  return parseReference(tag.startsWith('sha256:') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`);
}

/** How a pull is asked for, whoever asks (the API, the builder). */
export interface PullOptions {
  credentials?: RegistryCredentials;
  /** The host's platform when absent. */
  platform?: Platform;
  signal?: AbortSignal;
}

/** A pull whose manifest is known: what {@link runPull} needs. */
interface PreparedPull {
  named: ImageReference;
  client: DistributionClient;
  refs: ImageReference[];
  first: ResolvedImage;
  resolve: (ref: ImageReference) => Promise<ResolvedImage>;
}

/**
 * `POST /images/create?fromImage=`: pulls from the reference's registry. Failures before any
 * layer moves (no such image, no access, no platform) are HTTP errors; later ones are written
 * in-stream as Docker does. Layers the store already has are not downloaded.
 */
export async function pullImage(service: ImageService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const named = pullReference(req.query.get('fromImage') ?? '', req.query.get('tag'));
  const prepared = await preparePull(service, named, {
    credentials: decodeRegistryAuth(req.headers['x-registry-auth']),
    platform: parsePlatform(req.query.get('platform'), hostPlatform()),
  });
  await progressStream(res, (report) => runPull(service, prepared, report, req.signal).then(() => undefined));
}

/**
 * Pulls one reference into the store (for the builder's `FROM` and `--pull`); resolves with the
 * image ID. Progress goes to `report` in Docker's shape; failures are thrown.
 */
export async function pullToStore(
  service: ImageService,
  reference: string,
  options: PullOptions = {},
  report: (m: ProgressMessage) => void = () => undefined,
): Promise<string> {
  const named = withDefaultTag(parseReference(reference));
  const prepared = await preparePull(service, named, options);
  const [id] = await runPull(service, prepared, report, options.signal);
  return id as string;
}

/** Lists the tags (for all-tags pulls) and resolves the first manifest: the failures that precede any transfer. */
async function preparePull(
  service: ImageService,
  named: ImageReference,
  options: PullOptions,
): Promise<PreparedPull> {
  const endpoint = registryEndpoint(named.domain, service.ctx.options.insecureRegistries);
  const client = new DistributionClient(endpoint, named.path, options.credentials, ['pull']);
  const platform = options.platform ?? hostPlatform();
  const refs =
    named.tag || named.digest
      ? [named]
      : (await client.listTags().catch((err) => Promise.reject(pullError(err, named)))).map((tag) => ({
          ...named,
          tag,
        }));
  if (!refs[0]) throw notFound(`no tags found for ${familiarName(named)}`);
  const { store } = service;
  const local = async (digest: string) =>
    store.snapshot.images[digest] ? store.blobs.readBuffer(digest) : undefined;
  const resolve = (ref: ImageReference) =>
    resolveImage(client, ref.digest ?? (ref.tag as string), platform, local).catch((err) =>
      Promise.reject(pullError(err, ref)),
    );
  return { named, client, refs, first: await resolve(refs[0]), resolve };
}

/** Pulls each prepared reference, tags it (and its digest), and reports Docker's lines; returns the image IDs. */
async function runPull(
  service: ImageService,
  pull: PreparedPull,
  report: (m: ProgressMessage) => void,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const { store } = service;
  const ids: string[] = [];
  let updated = false;
  for (const [i, ref] of pull.refs.entries()) {
    const resolved = i === 0 ? pull.first : await pull.resolve(ref);
    report(statusLine(`Pulling from ${ref.path}`, ref.tag ?? ref.digest));
    const id = await storeLayers(
      service,
      pull.client,
      resolved,
      report,
      signal ?? new AbortController().signal,
    );
    const keys = [referenceKey({ domain: ref.domain, path: ref.path, digest: resolved.digest })];
    if (ref.tag) keys.unshift(referenceKey(ref));
    if (!ref.tag || store.snapshot.refs[referenceKey(ref)] !== id) updated = true;
    for (const key of keys) await store.tag(id, key);
    const shown = familiarKey(referenceKey(ref));
    service.ctx.events.emit('image', 'pull', shown, { name: shown });
    report(statusLine(`Digest: ${resolved.digest}`));
    ids.push(id);
  }
  const { named } = pull;
  const shown = named.tag || named.digest ? familiarKey(referenceKey(named)) : familiarName(named);
  report(
    statusLine(
      updated ? `Status: Downloaded newer image for ${shown}` : `Status: Image is up to date for ${shown}`,
    ),
  );
  return ids;
}

/** Downloads missing layers in parallel, unpacks them in order, and stores the image; returns its ID. */
async function storeLayers(
  service: ImageService,
  client: DistributionClient,
  image: ResolvedImage,
  report: (m: ProgressMessage) => void,
  signal: AbortSignal,
): Promise<string> {
  const { store } = service;
  const layers = image.manifest.layers;
  const diffIds = image.config.rootfs.diff_ids;
  const chains = chainIds(diffIds);
  const present = chains.map((c) => store.snapshot.layers[c]);
  // An image the store already holds whole gets no per-layer lines: dockerd goes from `Pulling
  // from` straight to `Digest:` and `Status: Image is up to date`.
  const whole = store.snapshot.images[image.manifest.config.digest] !== undefined && present.every(Boolean);
  for (const [i, l] of whole ? [] : layers.entries()) {
    report(statusLine(present[i] ? 'Already exists' : 'Pulling fs layer', shortId(l.digest)));
  }
  return store.adding(async () => {
    const abort = new AbortController();
    const stop = () => abort.abort();
    signal.addEventListener('abort', stop);
    const run = limiter(PARALLEL_DOWNLOADS);
    let queued = 0;
    const downloads = layers.map((layer, i) => {
      if (present[i]) return Promise.resolve();
      if (queued++ >= PARALLEL_DOWNLOADS) report(statusLine('Waiting', shortId(layer.digest)));
      return run(() => downloadLayer(client, store.blobs, layer, report, abort.signal));
    });
    // Each is awaited in order below; until then a failure must not count as unhandled.
    for (const d of downloads) d.catch(() => undefined);
    try {
      const entries: LayerEntry[] = [];
      let parent: string | undefined;
      for (const [i, layer] of layers.entries()) {
        let entry = present[i];
        if (!entry) {
          await downloads[i];
          report(progressLine('Extracting', shortId(layer.digest), layer.size, layer.size));
          entry = await store.layers.ensure(
            parent,
            { blob: layer.digest },
            { diffId: diffIds[i], blobDigest: layer.digest, mediaType: layer.mediaType },
          );
          report(statusLine('Pull complete', shortId(layer.digest)));
        }
        entries.push(entry);
        parent = entry.chainId;
      }
      return await store.addImage(image.configBytes, entries);
    } catch (err) {
      abort.abort();
      await Promise.allSettled(downloads);
      throw err;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  });
}

/** Docker's wording for a pull that cannot start. */
function pullError(err: unknown, ref: ImageReference): unknown {
  if (!(err instanceof RegistryError)) return err;
  const name = familiarName(ref);
  if (
    err.kind === 'unauthorized' ||
    err.kind === 'forbidden' ||
    (err.kind === 'not-found' && /name unknown/.test(err.detail))
  ) {
    return new EngineError(
      'not-found',
      `pull access denied for ${name}, repository does not exist or may require 'docker login': ${err.detail}`,
    );
  }
  if (err.kind === 'not-found') {
    return new EngineError(
      'not-found',
      `manifest for ${familiarKey(referenceKey(ref))} not found: ${err.detail}`,
    );
  }
  return err;
}

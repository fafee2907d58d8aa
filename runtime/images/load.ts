import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiRequest, ApiResponse } from '../api/route.js';
import { extractLayer } from '../archive/extract.js';
import { invalid } from '../errors.js';
import { parseImageConfig } from './image-config.js';
import type { ImageService } from './image-service.js';
import type { LayerEntry } from './image-state.js';
import { loadLegacy, loadOciLayout } from './load-formats.js';
import { ArchiveDir } from './load-source.js';
import { familiarKey, parseReference, referenceKey, withDefaultTag } from './reference.js';

/** An image found in an archive, ready to be stored. */
export interface LoadedImage {
  config: Buffer;
  layers: LayerEntry[];
  /** Normalized reference keys to tag it with. */
  keys: string[];
}

interface SaveManifestItem {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/**
 * `POST /images/load`: a `docker save` archive (1.10+ manifest.json, or the legacy
 * `repositories` layout) or an OCI image layout, optionally compressed. The archive is unpacked
 * with the safe extractor into a scratch directory, every layer is verified against its diffID
 * and unpacked once, then images are stored and tagged. Answers JSON lines `Loaded image: x`.
 */
export async function loadImages(service: ImageService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const { store, ctx } = service;
  const work = join(store.tmpRoot(), `load-${randomBytes(8).toString('hex')}`);
  await mkdir(work, { recursive: true, mode: 0o700 });
  const lines: string[] = [];
  try {
    await extractLayer(req.raw, work, { host: ctx.host });
    const dir = new ArchiveDir(work);
    const found = await store.adding(async () => {
      const images = (await dir.exists('manifest.json'))
        ? await loadDockerSave(service, dir)
        : (await dir.exists('index.json'))
          ? await loadOciLayout(service, dir)
          : (await dir.exists('repositories'))
            ? await loadLegacy(service, dir)
            : undefined;
      if (!images) throw invalid('archive is neither a docker save archive nor an OCI image layout');
      const stored: Array<{ id: string; keys: string[] }> = [];
      for (const image of images)
        stored.push({ id: await store.addImage(image.config, image.layers), keys: image.keys });
      return stored;
    });
    for (const { id, keys } of found) {
      ctx.events.emit('image', 'load', id, {});
      for (const key of keys) {
        const previous = await store.tag(id, key);
        if (previous && store.snapshot.images[previous]) {
          lines.push(
            `The image ${familiarKey(key)} already exists, renaming the old one with ID ${previous} to empty string\n`,
          );
        }
        lines.push(`Loaded image: ${familiarKey(key)}\n`);
      }
      if (keys.length === 0) lines.push(`Loaded image ID: ${id}\n`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const out = res.stream(200, 'application/json');
  for (const line of lines) out.write(`${JSON.stringify({ stream: line })}\r\n`);
  out.end();
}

/** Normalized keys of a list of names; bad names are an invalid archive. */
export function keysOf(names: readonly string[] | null | undefined): string[] {
  return (names ?? []).map((n) => referenceKey(withDefaultTag(parseReference(n))));
}

async function loadDockerSave(service: ImageService, dir: ArchiveDir): Promise<LoadedImage[]> {
  const manifest = await dir.json<SaveManifestItem[]>('manifest.json');
  if (!Array.isArray(manifest)) throw invalid('manifest.json is not a list');
  const out: LoadedImage[] = [];
  for (const item of manifest) {
    if (!item || typeof item.Config !== 'string' || !Array.isArray(item.Layers)) {
      throw invalid('manifest.json has an entry without Config or Layers');
    }
    const keys = keysOf(item.RepoTags);
    const config = await dir.read(item.Config);
    const diffIds = parseImageConfig(config).config.rootfs.diff_ids;
    if (diffIds.length !== item.Layers.length) {
      throw invalid(
        `${item.Config} lists ${diffIds.length} layers but manifest.json has ${item.Layers.length}`,
      );
    }
    const layers = await service.store.layers.ensureStack(
      item.Layers.map((name, i) => ({ open: () => dir.stream(name), hints: { diffId: diffIds[i] } })),
    );
    out.push({ config, layers, keys });
  }
  return out;
}

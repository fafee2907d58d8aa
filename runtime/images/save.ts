import { Readable } from 'node:stream';
import type { ApiResponse } from '../api/route.js';
import { decompress } from '../archive/decompress.js';
import { TarWriter } from '../archive/tar-writer.js';
import { sha256Digest } from '../content/digest.js';
import { invalid } from '../errors.js';
import { chainIds } from './chain-id.js';
import type { ImageService } from './image-service.js';
import { familiarKey, familiarName, parseReference, referenceKey } from './reference.js';

/** What to save: an image and the names to record for it. */
interface Selection {
  id: string;
  keys: string[];
}

/** Resolves `docker save` arguments: a name without tag saves every tag of that repository; an ID saves no names. */
export function selectImages(service: ImageService, names: readonly string[]): Selection[] {
  const { store } = service;
  const out = new Map<string, Set<string>>();
  for (const name of names) {
    if (!name) throw invalid('no image name given');
    let ref: ReturnType<typeof parseReference> | undefined;
    try {
      ref = parseReference(name);
    } catch {
      ref = undefined;
    }
    const state = store.snapshot;
    if (ref && !ref.tag && !ref.digest) {
      const repo = referenceKey(ref);
      const keys = Object.keys(state.refs).filter((k) => k.startsWith(`${repo}:`));
      if (keys.length) {
        for (const k of keys)
          out.set(state.refs[k] as string, new Set([...(out.get(state.refs[k] as string) ?? []), k]));
        continue;
      }
    }
    const id = store.resolveId(name);
    const keys = out.get(id) ?? new Set<string>();
    if (ref?.tag && state.refs[referenceKey(ref)] === id) keys.add(referenceKey(ref));
    out.set(id, keys);
  }
  return [...out].map(([id, keys]) => ({ id, keys: [...keys].sort() }));
}

/** `GET /images/{name}/get`, `GET /images/get?names=`: a `docker save` (1.10+ with legacy files) archive. */
export function saveImages(service: ImageService, names: readonly string[], res: ApiResponse): void {
  const selection = selectImages(service, names);
  const writer = new TarWriter();
  res.pipe(200, 'application/x-tar', writer.stream);
  writeArchive(service, selection, writer).catch((err: Error) => writer.abort(err));
}

async function writeArchive(service: ImageService, selection: Selection[], writer: TarWriter): Promise<void> {
  const { store } = service;
  const written = new Set<string>();
  const manifest: Array<{ Config: string; RepoTags: string[] | null; Layers: string[] }> = [];
  const repositories: Record<string, Record<string, string>> = {};
  const mtime = Math.floor(service.ctx.now() / 1000);
  for (const { id, keys } of selection) {
    const hex = id.slice('sha256:'.length);
    const configName = `${hex}.json`;
    if (!written.has(configName)) {
      await writer.add(
        { name: configName, type: 'file', mode: 0o644, mtime },
        await store.blobs.readBuffer(id),
      );
      written.add(configName);
    }
    const config = store.config(id);
    const layerNames: string[] = [];
    let v1parent = '';
    const chains = chainIds(config.rootfs.diff_ids);
    for (const [i, chain] of chains.entries()) {
      const layer = store.snapshot.layers[chain];
      if (!layer) throw invalid(`layer ${chain} of ${id} is missing`);
      const top = i === chains.length - 1;
      const v1id = sha256Digest(`${v1parent} ${layer.diffId}${top ? ` ${id}` : ''}`).slice(7);
      layerNames.push(`${v1id}/layer.tar`);
      if (!written.has(v1id)) {
        written.add(v1id);
        const v1 = {
          id: v1id,
          ...(v1parent ? { parent: v1parent } : {}),
          created: config.created ?? '1970-01-01T00:00:00Z',
          container_config: {},
        };
        await writer.add({ name: `${v1id}/`, type: 'directory', mode: 0o755, mtime });
        await writer.add({ name: `${v1id}/VERSION`, type: 'file', mode: 0o644, mtime }, Buffer.from('1.0'));
        await writer.add(
          { name: `${v1id}/json`, type: 'file', mode: 0o644, mtime },
          Buffer.from(JSON.stringify(v1)),
        );
        await writer.add(
          { name: `${v1id}/layer.tar`, type: 'file', mode: 0o644, size: layer.size, mtime },
          layerBytes(service, layer.blob),
        );
      }
      v1parent = v1id;
    }
    const tags = keys.map(familiarKey);
    manifest.push({ Config: configName, RepoTags: tags.length ? tags : null, Layers: layerNames });
    for (const key of keys) {
      const ref = parseReference(key);
      if (ref.tag)
        repositories[familiarName(ref)] = { ...repositories[familiarName(ref)], [ref.tag]: v1parent };
    }
  }
  await writer.add(
    { name: 'manifest.json', type: 'file', mode: 0o644, mtime },
    Buffer.from(JSON.stringify(manifest)),
  );
  if (Object.keys(repositories).length) {
    await writer.add(
      { name: 'repositories', type: 'file', mode: 0o644, mtime },
      Buffer.from(JSON.stringify(repositories)),
    );
  }
  await writer.finish();
}

/** The exact uncompressed bytes of a layer (its diffID's preimage), whatever compression its blob has. */
function layerBytes(service: ImageService, blob: string): Readable {
  return Readable.from(decompress(service.store.blobs.open(blob), service.ctx.host));
}

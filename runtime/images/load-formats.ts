import { digestHex, sha256Digest } from '../content/digest.js';
import { invalid } from '../errors.js';
import { configBytes, ociArchitecture, parseImageConfig } from './image-config.js';
import type { ImageService } from './image-service.js';
import type { LoadedImage } from './load.js';
import { keysOf } from './load.js';
import type { ArchiveDir } from './load-source.js';
import { parseReference } from './reference.js';

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { architecture?: string; os?: string };
}

const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

/** Reads a blob of an OCI layout, checking that its bytes have the digest it is named by. */
async function blob(dir: ArchiveDir, digest: string): Promise<Buffer> {
  const data = await dir.read(`blobs/sha256/${digestHex(digest)}`);
  if (sha256Digest(data) !== digest)
    throw invalid(`blob ${digest} in the OCI layout does not match its digest`);
  return data;
}

function parseJson<T>(data: Buffer, what: string): T {
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch {
    throw invalid(`${what} is not valid JSON`);
  }
}

/** The name an OCI layout gives a manifest: containerd's full name, else a full `ref.name`. */
function nameOf(d: Descriptor): string[] {
  const full = d.annotations?.['io.containerd.image.name'];
  if (full) return [full];
  const ref = d.annotations?.['org.opencontainers.image.ref.name'];
  if (!ref || !/[:/]/.test(ref)) return [];
  try {
    parseReference(ref);
    return [ref];
  } catch {
    return [];
  }
}

/** Images of an OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/...`). */
export async function loadOciLayout(service: ImageService, dir: ArchiveDir): Promise<LoadedImage[]> {
  const index = await dir.json<{ manifests?: Descriptor[] }>('index.json');
  if (!Array.isArray(index.manifests)) throw invalid('index.json has no manifests');
  const out: LoadedImage[] = [];
  for (const top of index.manifests) {
    const keys = keysOf(nameOf(top));
    let desc = top;
    if (INDEX_TYPES.includes(desc.mediaType ?? '')) {
      const nested = parseJson<{ manifests?: Descriptor[] }>(await blob(dir, desc.digest), 'an image index');
      const arch = ociArchitecture();
      const pick =
        nested.manifests?.find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch) ??
        nested.manifests?.[0];
      if (!pick) throw invalid(`image index ${desc.digest} lists no manifests`);
      desc = pick;
    }
    const manifest = parseJson<{ config?: Descriptor; layers?: Descriptor[] }>(
      await blob(dir, desc.digest),
      'a manifest',
    );
    if (!manifest.config || !Array.isArray(manifest.layers))
      throw invalid(`manifest ${desc.digest} has no config or layers`);
    const config = await blob(dir, manifest.config.digest);
    const diffIds = parseImageConfig(config).config.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length)
      throw invalid(`manifest ${desc.digest} and its config disagree on layers`);
    const layers = await service.store.layers.ensureStack(
      manifest.layers.map((l, i) => ({
        open: () => dir.stream(`blobs/sha256/${digestHex(l.digest)}`),
        hints: { diffId: diffIds[i], blobDigest: l.digest, mediaType: l.mediaType },
      })),
    );
    out.push({ config, layers, keys });
  }
  return out;
}

/** Keys moby drops when turning a v1 layer JSON into an image config. */
const V1_ONLY = ['id', 'parent', 'Size', 'parent_id', 'layer_id', 'throwaway'];

/** Images of a pre-1.10 `docker save` archive: `repositories` and `<v1id>/{json,layer.tar}` chains. */
export async function loadLegacy(service: ImageService, dir: ArchiveDir): Promise<LoadedImage[]> {
  const repos = await dir.json<Record<string, Record<string, string>>>('repositories');
  const byTop = new Map<string, string[]>();
  for (const [repo, tags] of Object.entries(repos)) {
    for (const [tag, v1id] of Object.entries(tags ?? {}))
      byTop.set(v1id, [...(byTop.get(v1id) ?? []), `${repo}:${tag}`]);
  }
  const out: LoadedImage[] = [];
  for (const [top, names] of byTop) {
    const keys = keysOf(names);
    const chain: Array<Record<string, unknown>> = [];
    for (let id: string | undefined = top; id; ) {
      if (!/^[a-f0-9]{64}$/.test(id) || chain.length > 127) throw invalid(`invalid legacy layer id ${id}`);
      const v1: Record<string, unknown> = await dir.json<Record<string, unknown>>(`${id}/json`);
      chain.unshift({ ...v1, id });
      id = typeof v1.parent === 'string' ? v1.parent : undefined;
    }
    const layers = await service.store.layers.ensureStack(
      chain.map((v1) => ({ open: () => dir.stream(`${v1.id}/layer.tar`), hints: {} })),
    );
    const history = chain.map((v1) => {
      const cmd = (v1.container_config as { Cmd?: string[] } | undefined)?.Cmd;
      return { created: v1.created, ...(cmd ? { created_by: cmd.join(' ') } : {}) };
    });
    const config: Record<string, unknown> = { ...(chain[chain.length - 1] ?? {}) };
    for (const key of V1_ONLY) delete config[key];
    config.rootfs = { type: 'layers', diff_ids: layers.map((l) => l.diffId) };
    config.history = history;
    out.push({ config: configBytes(config as never), layers, keys });
  }
  return out;
}

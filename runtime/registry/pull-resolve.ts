import type { ImageConfigFile } from '../contracts.js';
import { EngineError, invalid } from '../errors.js';
import { MAX_CONFIG_BYTES, parseImageConfig } from '../images/image-config.js';
import type { DistributionClient } from './distribution-client.js';
import {
  type Descriptor,
  type ImageManifest,
  type Platform,
  parseManifest,
  selectPlatform,
} from './manifest.js';
import { isPullableLayer } from './media-types.js';

/** What a pull needs before any layer moves: the manifest chosen for the platform and its config. */
export interface ResolvedImage {
  /** The digest the reference points at (a manifest list's own digest when it is one). */
  digest: string;
  manifest: ImageManifest;
  configBytes: Buffer;
  config: ImageConfigFile;
}

/**
 * Fetches the manifest for a tag or digest (choosing the platform's entry from a list), then the
 * image config, and checks that they agree: every layer unpackable, one diffID per layer.
 */
export async function resolveImage(
  client: DistributionClient,
  reference: string,
  platform: Platform,
  /** The bytes of a config the store already holds (its digest is an image ID): not fetched again. */
  local: (digest: string) => Promise<Buffer | undefined> = async () => undefined,
): Promise<ResolvedImage> {
  const top = await client.getManifest(reference);
  let parsed = parseManifest(top.bytes, top.contentType);
  if (parsed.kind === 'index') {
    const chosen = selectPlatform(parsed, platform);
    const inner = await client.getManifest(chosen.digest);
    parsed = parseManifest(inner.bytes, inner.contentType);
    if (parsed.kind === 'index') throw invalid('a manifest list entry is itself a manifest list');
  }
  const manifest = parsed;
  for (const layer of manifest.layers) checkLayer(layer);
  if (manifest.config.size > MAX_CONFIG_BYTES) {
    throw invalid(`image config of ${manifest.config.size} bytes is over the limit of ${MAX_CONFIG_BYTES}`);
  }
  const configBytes =
    (await local(manifest.config.digest)) ??
    (await client.getBlobBuffer(manifest.config.digest, MAX_CONFIG_BYTES));
  const { config } = parseImageConfig(configBytes);
  if (config.rootfs.diff_ids.length !== manifest.layers.length) {
    throw invalid(
      `image config lists ${config.rootfs.diff_ids.length} layers but the manifest has ${manifest.layers.length}`,
    );
  }
  return { digest: top.digest, manifest, configBytes, config };
}

function checkLayer(layer: Descriptor): void {
  if (!isPullableLayer(layer.mediaType)) {
    throw new EngineError(
      'invalid',
      `unsupported layer media type ${JSON.stringify(layer.mediaType.slice(0, 200))}`,
    );
  }
}

/** Parses a `platform` query parameter (`linux/arm64/v8`); empty means the host's. */
export function parsePlatform(value: string | null, host: Platform): Platform {
  if (!value) return host;
  const [os, architecture, variant] = value.split('/');
  if (!os || !architecture) throw invalid(`invalid platform ${JSON.stringify(value)}: use os/arch[/variant]`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

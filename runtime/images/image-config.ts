import { isDigest } from '../content/digest.js';
import type { ContainerImageConfig, ImageConfigFile } from '../contracts.js';
import { invalid } from '../errors.js';

/** Largest image config accepted (malformed or huge manifests crashed daemons: CVE-2021-21285). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Parses and checks an image config; the bytes themselves are kept verbatim elsewhere (they are the ID). */
export function parseImageConfig(bytes: Buffer): { config: ImageConfigFile } {
  if (bytes.length > MAX_CONFIG_BYTES) throw invalid(`image config larger than ${MAX_CONFIG_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('image config is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw invalid('image config is not an object');
  const c = parsed as Partial<ImageConfigFile>;
  const diffIds = c.rootfs?.diff_ids;
  if (
    c.rootfs?.type !== 'layers' ||
    !Array.isArray(diffIds) ||
    !diffIds.every((d) => typeof d === 'string' && isDigest(d))
  ) {
    throw invalid('image config has no valid rootfs.diff_ids');
  }
  if (c.config !== undefined && (c.config === null || typeof c.config !== 'object')) {
    throw invalid('image config has an invalid config section');
  }
  return {
    config: {
      ...c,
      architecture: typeof c.architecture === 'string' ? c.architecture : '',
      os: typeof c.os === 'string' ? c.os : '',
      config: (c.config ?? {}) as ContainerImageConfig,
      rootfs: { type: 'layers', diff_ids: diffIds },
    },
  };
}

/** The platform's architecture in OCI terms (`amd64`, `arm64`, ...). */
export function ociArchitecture(arch: string = process.arch): string {
  const map: Record<string, string> = {
    x64: 'amd64',
    ia32: '386',
    arm64: 'arm64',
    arm: 'arm',
    ppc64: 'ppc64le',
    s390x: 's390x',
  };
  return map[arch] ?? arch;
}

/** Serializes a config as the bytes an image ID is taken from. */
export function configBytes(config: ImageConfigFile): Buffer {
  return Buffer.from(JSON.stringify(config));
}

/** Created time of a config in milliseconds (0 when absent or unparsable). */
export function createdMs(config: ImageConfigFile): number {
  const t = config.created ? Date.parse(config.created) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** Created time of a config in seconds, as lists show it. */
export function createdSeconds(config: ImageConfigFile): number {
  return Math.floor(createdMs(config) / 1000);
}

import { invalid } from '../errors.js';

/** The AUFS-style whiteout prefix used in image layers (OCI image-spec layer.md). */
export const WHITEOUT_PREFIX = '.wh.';
/** Marks a directory whose lower contents are hidden. */
export const OPAQUE_MARKER = '.wh..wh..opq';
/** The xattr overlayfs reads for an opaque directory. */
export const OVERLAY_OPAQUE_XATTR = 'trusted.overlay.opaque';

/** What an entry's base name means in a layer. */
export type WhiteoutKind = { kind: 'none' } | { kind: 'opaque' } | { kind: 'whiteout'; hides: string };

/**
 * Classifies a layer entry's base name. A bare `.wh.`, a whiteout of `.` or `..`, and any other
 * name with the reserved `.wh..wh.` prefix are invalid archives.
 */
export function classifyWhiteout(base: string): WhiteoutKind {
  if (!base.startsWith(WHITEOUT_PREFIX)) return { kind: 'none' };
  if (base === OPAQUE_MARKER) return { kind: 'opaque' };
  const hides = base.slice(WHITEOUT_PREFIX.length);
  if (
    hides === '' ||
    hides === '.' ||
    hides === '..' ||
    base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)
  ) {
    throw invalid(`invalid whiteout entry ${JSON.stringify(base)}`);
  }
  return { kind: 'whiteout', hides };
}

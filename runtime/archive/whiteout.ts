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

/**
 * Encodes a path for `setfattr --restore` / decodes getfattr's dump: octal escapes for bytes
 * outside printable ASCII and for backslash, so names with newlines cannot forge records.
 */
export function escapeAttrPath(path: string): string {
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    out +=
      byte > 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** Reverses {@link escapeAttrPath}. */
export function unescapeAttrPath(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const m = text[i] === '\\' ? /^[0-7]{3}/.exec(text.slice(i + 1)) : null;
    if (m) {
      bytes.push(Number.parseInt(m[0], 8));
      i += 3;
    } else bytes.push(...Buffer.from(text[i] as string, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A `setfattr --restore` document setting the given attributes (values as hex). */
export function attrRestoreScript(items: Array<{ path: string; name: string; value: Buffer }>): string {
  return items
    .map((i) => `# file: ${escapeAttrPath(i.path)}\n${i.name}=0x${i.value.toString('hex')}\n`)
    .join('\n');
}

/** Paths listed in a `getfattr -d` dump that carry `name` with value `expected`. */
export function pathsWithAttr(dump: string, name: string, expected: string): string[] {
  const paths: string[] = [];
  let current: string | undefined;
  for (const line of dump.split('\n')) {
    if (line.startsWith('# file: ')) current = unescapeAttrPath(line.slice('# file: '.length));
    else if (current !== undefined && line === `${name}="${expected}"`) paths.push(current);
  }
  return paths;
}

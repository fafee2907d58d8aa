import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { posix } from 'node:path';
import { invalid } from '../errors.js';
import type { Host } from '../host/host.js';

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
export function attrRestoreScript(
  items: ReadonlyArray<{ path: string; name: string; value: Buffer }>,
): string {
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

/**
 * Sets extended attributes in one `setfattr --restore` run (one process per layer, not per
 * file). `bestEffort`: attributes the filesystem refuses are skipped, as Docker skips them.
 */
export async function restoreXattrs(
  host: Host,
  items: ReadonlyArray<{ path: string; name: string; value: Buffer }>,
  options: { bestEffort?: boolean } = {},
): Promise<void> {
  if (items.length === 0) return;
  const script = posix.join(
    tmpdir(),
    `berth-xattrs-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  );
  await writeFile(script, attrRestoreScript(items), { mode: 0o600 });
  try {
    // setfattr goes on past an attribute it cannot set; best effort ignores what it reports.
    await host.run('setfattr', [`--restore=${script}`], { allowFailure: options.bestEffort });
  } catch (err) {
    throw invalid(`cannot set extended attributes: ${(err as Error).message}`);
  } finally {
    await rm(script, { force: true });
  }
}

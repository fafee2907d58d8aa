import { readFile, writeFile } from 'node:fs/promises';

/**
 * Keeps a running container's /etc/hosts in step with connect and disconnect: the line for its
 * address on a network is added when it joins and removed when it leaves (as Docker's sandbox
 * does); every other line, including the user's own edits, is left alone.
 */

/** The hosts text with `[ip, ...names]` appended unless a line for that address exists. */
export function withHostsLine(text: string, line: [string, ...string[]]): string {
  const [ip] = line;
  if (text.split('\n').some((l) => l.split(/\s+/)[0] === ip)) return text;
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${base}${line.join('\t')}\n`;
}

/** The hosts text without lines for `ip`. */
export function withoutHostsLine(text: string, ip: string): string {
  return text
    .split('\n')
    .filter((l) => l.split(/\s+/)[0] !== ip)
    .join('\n');
}

/** Applies `edit` to the hosts file at `path`; a missing file is left missing. */
export async function editHostsFile(path: string | undefined, edit: (text: string) => string): Promise<void> {
  if (!path) return;
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const next = edit(text);
  // In place, not by rename: the container sees this inode through a bind mount.
  if (next !== text) await writeFile(path, next);
}

import { createWriteStream } from 'node:fs';
import { utimes } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { invalid } from '../errors.js';
import { send } from '../registry/transport.js';

/** A source of ADD that names a URL rather than a path in the context. */
export const URL_SOURCE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The file name an ADD of `url` gets in a destination directory: the last segment of the URL's
 * path, as Docker takes it. Pure.
 */
export function remoteFileName(url: string): string {
  const parsed = new URL(url);
  const name = posix.basename(decodeURIComponent(parsed.pathname));
  if (!name || name === '/' || name === '.' || name === '..') {
    throw invalid(`ADD ${url}: cannot determine a file name from the URL; give the destination a file name`);
  }
  return name;
}

/**
 * Downloads an ADD URL source (http or https) into `dir`, as the classic builder does: the engine
 * fetches it (redirects followed, any port: not through `fetch`, which refuses some), the file gets mode 0600 and the `Last-Modified` time, and it
 * is never unpacked. With the build's network off (`networkmode=none`) nothing is fetched; every
 * failure names the URL.
 */
export async function downloadSource(
  url: string,
  dir: string,
  networkMode: string,
  signal: AbortSignal,
): Promise<string> {
  const protocol = new URL(url).protocol;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw invalid(`ADD ${url}: only http and https URLs can be downloaded`);
  }
  if (networkMode === 'none') {
    throw invalid(`ADD ${url}: cannot download: the build's network is off (--network none)`);
  }
  const path = join(dir, remoteFileName(url));
  let res: IncomingMessage;
  try {
    res = await send({ method: 'GET', url: new URL(url), signal, maxRedirects: 10 });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw invalid(`ADD ${url}: cannot download: ${cause}`);
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 299) {
    res.resume();
    throw invalid(
      `ADD ${url}: cannot download: the server answered ${status} ${res.statusMessage ?? ''}`.trim(),
    );
  }
  try {
    await pipeline(res, createWriteStream(path, { mode: 0o600 }));
  } catch (err) {
    throw invalid(`ADD ${url}: the download failed: ${(err as Error).message}`);
  }
  const modified = Date.parse(String(res.headers['last-modified'] ?? ''));
  if (!Number.isNaN(modified)) await utimes(path, new Date(modified), new Date(modified));
  return path;
}

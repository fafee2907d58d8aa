import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { resolveInRoot } from '../archive/scoped-path.js';
import { invalid } from '../errors.js';

/**
 * Files of an unpacked image archive, read in scope: names from manifests are resolved inside
 * the archive's directory (symlinks included, as docker save links duplicate layers) and opened
 * without following a final link.
 */
export class ArchiveDir {
  constructor(private readonly root: string) {}

  private async path(name: string): Promise<string> {
    if (typeof name !== 'string' || name === '') throw invalid('image archive names an empty file');
    return resolveInRoot(this.root, name);
  }

  async exists(name: string): Promise<boolean> {
    try {
      const fh = await open(await this.path(name), constants.O_RDONLY | constants.O_NOFOLLOW);
      await fh.close();
      return true;
    } catch {
      return false;
    }
  }

  /** A small file (JSON documents), bounded. */
  async read(name: string, maxBytes = 4 * 1024 * 1024): Promise<Buffer> {
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(await this.path(name), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      throw invalid(`image archive has no file ${JSON.stringify(name)}`);
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw invalid(`${JSON.stringify(name)} in the image archive is not a file`);
      if (st.size > maxBytes)
        throw invalid(`${JSON.stringify(name)} in the image archive is larger than ${maxBytes} bytes`);
      return await fh.readFile();
    } finally {
      await fh.close();
    }
  }

  /** A JSON document from the archive. */
  async json<T>(name: string): Promise<T> {
    const data = await this.read(name);
    try {
      return JSON.parse(data.toString('utf8')) as T;
    } catch {
      throw invalid(`${JSON.stringify(name)} in the image archive is not valid JSON`);
    }
  }

  /** A (large) file as a stream. */
  async stream(name: string): Promise<Readable> {
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(await this.path(name), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      throw invalid(`image archive has no file ${JSON.stringify(name)}`);
    }
    return fh.createReadStream();
  }
}

import { join } from 'node:path';
import { sha256Digest } from '../content/digest.js';
import { Serial } from '../content/serial.js';
import type { ContainerImageConfig } from '../contracts.js';
import { readJson, writeJsonAtomic } from '../state/atomic-file.js';

/** Everything a step's result depends on. */
export interface CacheKeyInput {
  /** The image the step runs on (`undefined` for scratch). */
  parent: string | undefined;
  /** The instruction as executed (after substitution), e.g. its `created_by`. */
  instruction: string;
  /** The config the step starts from (CVE-2024-24557: the config is part of the key). */
  config: ContainerImageConfig;
  /**
   * Build args the step uses, `KEY=value`: a RUN's (it sees them all in its environment). Other
   * steps use them only through their expanded text, `detail` or `result`, as in dockerd.
   */
  args: readonly string[];
  /** For COPY/ADD: the digest of the sources' content and metadata. */
  sources?: string;
  /** For COPY/ADD: what the text does not show expanded (destination, owner). */
  detail?: string;
  /** For a config-only step: the config it gives. */
  result?: ContainerImageConfig;
}

/** The cache key of a step: a digest over all of its inputs. Pure. */
export function cacheKey(input: CacheKeyInput): string {
  return sha256Digest(
    JSON.stringify([
      input.parent ?? 'scratch',
      input.instruction,
      input.config,
      [...input.args].sort(),
      input.sources ?? '',
      input.detail ?? '',
      input.result ?? null,
    ]),
  );
}

/**
 * The engine's build cache: step keys to the images those steps produced. Only images this
 * engine built are ever cache sources; entries whose image is gone are ignored and dropped.
 */
export class BuildCache {
  private entries: Record<string, string> = {};
  private readonly file: string;
  private readonly serial = new Serial();

  constructor(dir: string) {
    this.file = join(dir, 'cache.json');
  }

  async init(): Promise<void> {
    this.entries = (await readJson<Record<string, string>>(this.file)) ?? {};
  }

  /** The image a step with this key produced, if that image still exists. */
  lookup(key: string, exists: (imageId: string) => boolean): string | undefined {
    const id = this.entries[key];
    return id && exists(id) ? id : undefined;
  }

  record(key: string, imageId: string): Promise<void> {
    return this.serial.run(async () => {
      this.entries[key] = imageId;
      await writeJsonAtomic(this.file, this.entries);
    });
  }

  /** Drops every entry (`/build/prune` with all) or those whose image is gone; returns how many. */
  prune(all: boolean, exists: (imageId: string) => boolean): Promise<number> {
    return this.serial.run(async () => {
      const before = Object.keys(this.entries).length;
      this.entries = all
        ? {}
        : Object.fromEntries(Object.entries(this.entries).filter(([, id]) => exists(id)));
      await writeJsonAtomic(this.file, this.entries);
      return before - Object.keys(this.entries).length;
    });
  }
}

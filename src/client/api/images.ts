import type { Readable } from 'node:stream';
import { buildContext } from '../build/context.js';
import { parseImageRef } from '../image-ref.js';
import type { Filters } from '../query.js';
import { imageSeg } from '../query.js';
import {
  encodeHeaderJson,
  encodeRegistryAuth,
  loadAllRegistryAuths,
  loadRegistryAuth,
} from '../registry-auth.js';
import { jsonLines } from '../streams/progress.js';
import type { Transport } from '../transport.js';
import type { PruneResponse } from '../types/containers.js';
import type { ProgressEvent } from '../types/events.js';
import type {
  BuildOptions,
  ImageDeleteEntry,
  ImageHistoryEntry,
  ImageInspect,
  ImageSummary,
  RegistryAuth,
} from '../types/images.js';
import { streamErrors, type WithSignal } from './shared.js';

/** Options of pull and push: explicit credentials, else those of `~/.docker/config.json`. */
export interface RegistryOptions extends WithSignal {
  /** Credentials to send as `X-Registry-Auth` (default: the Docker config file's for the registry). */
  auth?: RegistryAuth;
  /** `os/arch[/variant]` to pull (default: the engine's own). */
  platform?: string;
}

/** Options of import (`docker import`). */
export interface ImportOptions extends WithSignal {
  /** Repository to tag the new image with. */
  repo?: string;
  /** Tag to go with `repo`. */
  tag?: string;
  /** Dockerfile instructions applied to the config (`CMD ["sh"]`, `ENV A=b`). */
  changes?: string[];
  /** The commit message recorded in the image's history. */
  message?: string;
  /** `os/arch` to record in the image. */
  platform?: string;
}

/** `/images` and `/build`. */
export class ImagesApi {
  constructor(private readonly t: Transport) {}

  /** Images, optionally filtered (`reference`, `label`, `dangling`, `before`, `since`). */
  list(
    opts: { all?: boolean; filters?: Filters; digests?: boolean } & WithSignal = {},
  ): Promise<ImageSummary[]> {
    const { signal, ...query } = opts;
    return this.t.call('GET', '/images/json', { query, signal });
  }

  /** One image by reference or ID. */
  inspect(ref: string, opts: WithSignal = {}): Promise<ImageInspect> {
    return this.t.call('GET', `/images/${imageSeg(ref)}/json`, { signal: opts.signal });
  }

  /** Pulls `ref` (tag `latest` when none is given); progress until done, errors thrown. */
  async *pull(ref: string, opts: RegistryOptions = {}): AsyncGenerator<ProgressEvent> {
    const parsed = parseImageRef(ref);
    const headers = {
      'X-Registry-Auth': encodeRegistryAuth(opts.auth ?? (await loadRegistryAuth(parsed.registry))),
    };
    const query = {
      fromImage: parsed.repository,
      tag: parsed.digest ?? parsed.tag ?? 'latest',
      platform: opts.platform,
    };
    yield* this.progress('POST', '/images/create', { query, headers, signal: opts.signal });
  }

  /** Pushes `ref` (all its tags when it names none) to its registry. */
  async *push(ref: string, opts: RegistryOptions = {}): AsyncGenerator<ProgressEvent> {
    const parsed = parseImageRef(ref);
    const headers = {
      'X-Registry-Auth': encodeRegistryAuth(opts.auth ?? (await loadRegistryAuth(parsed.registry))),
    };
    const path = `/images/${imageSeg(parsed.repository)}/push`;
    yield* this.progress('POST', path, { query: { tag: parsed.tag }, headers, signal: opts.signal });
  }

  /** Tags an image as `repo:tag`. */
  async tag(id: string, repo: string, tag?: string, opts: WithSignal = {}): Promise<void> {
    await this.t.call('POST', `/images/${imageSeg(id)}/tag`, {
      query: { repo, tag },
      kind: 'mutation',
      signal: opts.signal,
    });
  }

  /** Untags and deletes an image; one used by a container is a `conflict` unless `force`. */
  remove(
    ref: string,
    opts: { force?: boolean; noprune?: boolean } & WithSignal = {},
  ): Promise<ImageDeleteEntry[]> {
    const { signal, ...query } = opts;
    return this.t.call('DELETE', `/images/${imageSeg(ref)}`, { query, kind: 'mutation', signal });
  }

  /** Builds from a context directory (honouring `.dockerignore`); a failed step throws `failed`. */
  async *build(contextDir: string, opts: BuildOptions = {}): AsyncGenerator<ProgressEvent> {
    const { signal, registryConfig, buildargs, labels, cachefrom, extrahosts, dockerfileInline, ...rest } =
      opts;
    const context = await buildContext(contextDir, { dockerfile: rest.dockerfile, inline: dockerfileInline });
    const query = {
      ...rest,
      dockerfile: context.dockerfile,
      buildargs: buildargs && JSON.stringify(buildargs),
      labels: labels && JSON.stringify(labels),
      cachefrom: cachefrom && JSON.stringify(cachefrom),
      extrahosts: extrahosts?.join(','),
    };
    const auths = registryConfig ?? (await loadAllRegistryAuths());
    const headers: Record<string, string> = {};
    if (Object.keys(auths).length) headers['X-Registry-Config'] = encodeHeaderJson(auths);
    yield* this.progress('POST', '/build', { query, headers, raw: context.tar, signal }, 'failed');
  }

  /** Loads images from a `docker save` tar stream. */
  async *load(tar: Readable | Buffer, opts: WithSignal = {}): AsyncGenerator<ProgressEvent> {
    yield* this.progress('POST', '/images/load', { query: { quiet: false }, raw: tar, signal: opts.signal });
  }

  /** Exports images (with their tags) as a `docker save` tar stream. */
  save(names: string | string[], opts: WithSignal = {}): Promise<Readable> {
    const list = typeof names === 'string' ? [names] : names;
    return this.t.stream('GET', '/images/get', { query: { names: list }, signal: opts.signal });
  }

  /** The image's layer history, newest first. */
  history(ref: string, opts: WithSignal = {}): Promise<ImageHistoryEntry[]> {
    return this.t.call('GET', `/images/${imageSeg(ref)}/history`, { signal: opts.signal });
  }

  /** Creates an image from a root filesystem tarball (`docker import`). */
  async *import(tar: Readable | Buffer, opts: ImportOptions = {}): AsyncGenerator<ProgressEvent> {
    const query = {
      fromSrc: '-',
      repo: opts.repo,
      tag: opts.tag,
      changes: opts.changes,
      message: opts.message,
      platform: opts.platform,
    };
    yield* this.progress('POST', '/images/create', { query, raw: tar, signal: opts.signal });
  }

  /** Removes unused images (dangling only unless `dangling: ['false']`). */
  prune(filters?: Filters, opts: WithSignal = {}): Promise<PruneResponse> {
    return this.t.call('POST', '/images/prune', {
      query: { filters },
      kind: 'mutation',
      signal: opts.signal,
    });
  }

  private async *progress(
    method: string,
    path: string,
    call: Parameters<Transport['stream']>[2],
    failKind: 'engine' | 'failed' = 'engine',
  ): AsyncGenerator<ProgressEvent> {
    const endpoint = `${method} ${path}`;
    const res = await this.t.stream(method, path, call);
    yield* jsonLines<ProgressEvent>(res, endpoint, streamErrors(this.t, endpoint, call?.signal), failKind);
  }
}

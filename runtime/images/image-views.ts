import type { ImageConfigFile } from '../contracts.js';
import { chainIds } from './chain-id.js';
import { createdSeconds } from './image-config.js';
import { type ImageEntry, type ImageState, refsOf } from './image-state.js';
import { familiarKey } from './reference.js';

/** What the views need to know about one image. */
export interface ImageFacts {
  entry: ImageEntry;
  config: ImageConfigFile;
  state: Readonly<ImageState>;
}

/** The image's size: the sum of its layers' uncompressed sizes. */
export function imageSize(f: ImageFacts): number {
  return chainIds(f.entry.diffIds).reduce((sum, c) => {
    const layer = f.state.layers[c];
    return sum + (layer?.contentSize ?? layer?.size ?? 0);
  }, 0);
}

function tagsAndDigests(f: ImageFacts): { tags: string[]; digests: string[] } {
  const keys = refsOf(f.state, f.entry.id);
  return {
    tags: keys.filter((k) => !k.includes('@')).map(familiarKey),
    digests: keys.filter((k) => k.includes('@')).map(familiarKey),
  };
}

/** One element of `GET /images/json` (API 1.41 shape). */
export function listEntry(f: ImageFacts): Record<string, unknown> {
  const { tags, digests } = tagsAndDigests(f);
  const size = imageSize(f);
  return {
    Containers: -1,
    Created: createdSeconds(f.config),
    Id: f.entry.id,
    Labels: f.config.config.Labels ?? null,
    ParentId: f.entry.parent ?? '',
    RepoDigests: digests.length ? digests : tags.length ? null : ['<none>@<none>'],
    RepoTags: tags.length ? tags : ['<none>:<none>'],
    SharedSize: -1,
    Size: size,
    VirtualSize: size,
  };
}

/** The runnable config as Docker shows it in inspect: every key present. */
function fullConfig(c: ImageConfigFile['config'] | undefined): Record<string, unknown> {
  return {
    Hostname: '',
    Domainname: '',
    User: '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    Env: null,
    Cmd: null,
    Image: '',
    Volumes: null,
    WorkingDir: '',
    Entrypoint: null,
    OnBuild: null,
    Labels: null,
    ...(c ?? {}),
  };
}

/** `GET /images/{name}/json`. */
export function inspectView(
  f: ImageFacts,
  graphDir: { driver: string; lower: string[]; upper: string },
): Record<string, unknown> {
  const { tags, digests } = tagsAndDigests(f);
  const size = imageSize(f);
  const c = f.config;
  // Docker's vfs driver shows no directories; overlay2 shows the layer's and its lowers'.
  const data: Record<string, string> | null =
    graphDir.driver === 'vfs' ? null : { MergedDir: '', UpperDir: graphDir.upper, WorkDir: '' };
  if (data && graphDir.lower.length) data.LowerDir = graphDir.lower.join(':');
  return {
    Id: f.entry.id,
    RepoTags: tags,
    RepoDigests: digests,
    Parent: f.entry.parent ?? '',
    Comment: typeof c.comment === 'string' ? c.comment : '',
    Created: c.created ?? '0001-01-01T00:00:00Z',
    Container: typeof c.container === 'string' ? c.container : '',
    ContainerConfig: fullConfig(c.container_config as ImageConfigFile['config'] | undefined),
    DockerVersion: typeof c.docker_version === 'string' ? c.docker_version : '',
    Author: c.author ?? '',
    Config: fullConfig(c.config),
    Architecture: c.architecture,
    ...(typeof c.variant === 'string' ? { Variant: c.variant } : {}),
    Os: c.os,
    Size: size,
    VirtualSize: size,
    GraphDriver: { Name: graphDir.driver, Data: data },
    RootFS: { Type: 'layers', Layers: f.entry.diffIds },
    Metadata: {
      LastTagTime: f.entry.tagged ? new Date(f.entry.tagged).toISOString() : '0001-01-01T00:00:00Z',
    },
  };
}

/**
 * `GET /images/{name}/history`: newest first. The top entry carries the image's ID and tags; as
 * Docker does, the entry where each local ancestor (commit parent) ends carries that one's.
 */
export function historyView(
  f: ImageFacts,
  ancestors: ReadonlyArray<ImageFacts> = [],
): Array<Record<string, unknown>> {
  const historyOf = (g: ImageFacts): NonNullable<ImageConfigFile['history']> =>
    g.config.history?.length ? g.config.history : g.entry.diffIds.map(() => ({}));
  const history = historyOf(f);
  const chains = chainIds(f.entry.diffIds);
  const layerSizes = chains.map((c) => f.state.layers[c]?.contentSize ?? f.state.layers[c]?.size ?? 0);
  let layer = 0;
  const rows = history.map((h) => {
    const empty = h.empty_layer === true;
    const size = empty ? 0 : (layerSizes[layer++] ?? 0);
    return {
      Id: '<missing>',
      Created: h.created ? Math.floor(Date.parse(h.created) / 1000) || 0 : 0,
      CreatedBy: h.created_by ?? '',
      Tags: null as string[] | null,
      Size: size,
      Comment: h.comment ?? '',
    };
  });
  for (const g of [f, ...ancestors]) {
    const row = rows[historyOf(g).length - 1];
    if (row?.Id !== '<missing>') continue;
    row.Id = g.entry.id;
    const { tags } = tagsAndDigests(g);
    row.Tags = tags.length ? tags : null;
  }
  return rows.reverse();
}

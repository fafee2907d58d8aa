import type { ContainerImageConfig, ImageConfigFile, ImageRecord } from '../contracts.js';
import { chainIds } from './chain-id.js';
import { configBytes } from './image-config.js';
import type { ImageService } from './image-service.js';
import { parseReference, referenceKey, withDefaultTag } from './reference.js';

/** The diffID of a tar with no entries: Docker records such layers as `empty_layer` history. */
export const EMPTY_LAYER_DIFF_ID = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

/**
 * `docker commit`: the container's upper dir (overlay whiteouts turned back into `.wh.` entries)
 * becomes a layer above the parent image's, with the given runnable config and a history entry.
 */
export async function commitContainer(
  service: ImageService,
  key: string,
  containerId: string,
  parentImageId: string,
  runConfig: ContainerImageConfig,
  options: { reference?: string; comment?: string; author?: string },
): Promise<ImageRecord> {
  const { store, ctx } = service;
  // A container that never started has no layer yet: it commits as an empty one.
  if (!store.snapshots.get(key)) await service.prepareRootfs(containerId, parentImageId);
  const tagKey = options.reference
    ? referenceKey(withDefaultTag(parseReference(options.reference)))
    : undefined;
  const parentId = store.resolveId(parentImageId);
  const parent = store.config(parentId);
  const parentChain = chainIds(parent.rootfs.diff_ids).pop();
  return store.adding(async () => {
    const tar = store.snapshots.diff(key);
    const blob = await store.blobs.write(tar);
    const empty = blob.digest === EMPTY_LAYER_DIFF_ID;
    const layer = empty
      ? undefined
      : await store.layers.ensure(parentChain, { blob: blob.digest }, { diffId: blob.digest });
    const created = new Date(ctx.now()).toISOString();
    const config: ImageConfigFile = {
      ...parent,
      created,
      container: containerId,
      config: runConfig,
      rootfs: {
        type: 'layers',
        diff_ids: layer ? [...parent.rootfs.diff_ids, layer.diffId] : parent.rootfs.diff_ids,
      },
      history: [
        ...(parent.history ?? []),
        {
          created,
          ...(options.author ? { author: options.author } : {}),
          ...(options.comment ? { comment: options.comment } : {}),
          ...(empty ? { empty_layer: true } : {}),
        },
      ],
    };
    if (options.author) config.author = options.author;
    else delete config.author;
    if (options.comment) config.comment = options.comment;
    else delete config.comment;
    const id = await store.addImage(configBytes(config), layer ? [layer] : [], parentId);
    if (tagKey) await store.tag(id, tagKey);
    return store.record(id);
  });
}

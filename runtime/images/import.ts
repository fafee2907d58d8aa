import type { ApiRequest, ApiResponse } from '../api/route.js';
import type { ImageConfigFile } from '../contracts.js';
import { invalid } from '../errors.js';
import { applyChanges } from './changes.js';
import { configBytes, ociArchitecture } from './image-config.js';
import type { ImageService } from './image-service.js';
import { familiarKey, parseReference, referenceKey, withDefaultTag } from './reference.js';

/** `POST /images/create?fromSrc=-`: a root filesystem tarball (body) becomes a one-layer image. */
export async function importImage(service: ImageService, req: ApiRequest, res: ApiResponse): Promise<void> {
  const { store, ctx } = service;
  const src = req.query.get('fromSrc');
  if (src !== '-')
    throw invalid('importing from a URL is not supported: send the tarball as the request body (fromSrc=-)');
  const repo = req.query.get('repo') ?? '';
  const tag = req.query.get('tag') ?? '';
  let key: string | undefined;
  if (repo) {
    const ref = parseReference(repo);
    if (ref.digest) throw invalid('cannot import with a digest reference');
    key = referenceKey(withDefaultTag(tag ? { ...ref, tag: parseReference(`x:${tag}`).tag } : ref));
  }
  const changes = req.query.getAll('changes');
  const message = req.query.get('message') ?? '';
  const platform = req.query.get('platform') ?? '';
  const [os, arch] = platform ? platform.split('/') : ['linux', ociArchitecture()];
  const id = await store.adding(async () => {
    const layer = await store.layers.ensure(undefined, { stream: req.raw });
    const created = new Date(ctx.now()).toISOString();
    const comment = message || 'Imported from -';
    const config: ImageConfigFile = {
      architecture: arch ?? ociArchitecture(),
      os: os ?? 'linux',
      created,
      comment,
      config: applyChanges({}, changes),
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      history: [{ created, comment }],
    };
    return store.addImage(configBytes(config), [layer]);
  });
  if (key) await store.tag(id, key);
  ctx.events.emit('image', 'import', id, key ? { name: familiarKey(key) } : {});
  res.stream(200, 'application/json').end(`${JSON.stringify({ status: id })}\r\n`);
}

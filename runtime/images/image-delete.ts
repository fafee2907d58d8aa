import { matchLabels } from '../api/filters.js';
import { conflict, type EngineError } from '../errors.js';
import { createdSeconds } from './image-config.js';
import type { ImageService } from './image-service.js';
import { refsOf } from './image-state.js';
import { familiarKey, fullName, parseReference, referenceKey, withDefaultTag } from './reference.js';

/** One line of Docker's delete answer. */
export type DeleteRecord = { Untagged: string } | { Deleted: string };

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

function users(service: ImageService, id: string): Array<{ id: string; running: boolean }> {
  const c = service.deps.containers;
  const known = c.imageUsers?.(id) ?? [];
  if (known.length > 0) return known;
  return c.imagesInUse().has(id) ? [{ id: '', running: false }] : [];
}

/** Docker's checkImageDeleteConflict: hard conflicts always, soft ones unless forced. */
function deleteConflict(
  service: ImageService,
  id: string,
  force: boolean,
  byId: boolean,
): { error: EngineError; used: boolean } | undefined {
  const state = service.store.snapshot;
  const fail = (forcible: boolean, why: string, used: boolean) => ({
    error: conflict(
      `conflict: unable to delete ${short(id)} (${forcible ? 'must be forced' : 'cannot be forced'}) - ${why}`,
    ),
    used,
  });
  if (Object.values(state.images).some((i) => i.parent === id))
    return fail(false, 'image has dependent child images', false);
  const using = users(service, id);
  const running = using.find((u) => u.running);
  if (running) return fail(false, `image is being used by running container ${short(running.id)}`, true);
  if (force) return undefined;
  const refs = refsOf(state, id);
  if (byId && new Set(refs.map((k) => fullName(parseReference(k)))).size > 1) {
    return fail(true, 'image is referenced in multiple repositories', false);
  }
  const stopped = using[0];
  if (stopped) {
    const who = stopped.id ? `stopped container ${short(stopped.id)}` : 'a container';
    return fail(true, `image is being used by ${who}`, true);
  }
  return undefined;
}

/** `DELETE /images/{name}`: untags a name, or deletes an image (and its unused layers and parents) as Docker does. */
export async function deleteImage(
  service: ImageService,
  ref: string,
  options: { force: boolean; noprune: boolean },
): Promise<DeleteRecord[]> {
  const { store } = service;
  const id = store.resolveId(ref);
  const records: DeleteRecord[] = [];
  const hex = ref.replace(/^sha256:/, '');
  const byId =
    /^[a-f0-9]{1,64}$/.test(hex) &&
    id.startsWith(`sha256:${hex}`) &&
    !store.snapshot.refs[safeKey(ref) ?? ''];
  if (!byId) {
    const key = safeKey(ref) as string;
    await untag(service, id, key, records);
    if (refsOf(store.snapshot, id).length > 0) return records;
    const c = deleteConflict(service, id, options.force, false);
    if (c) {
      if (c.used) return records; // the name is gone; the image stays for its container
      throw c.error;
    }
  } else {
    const c = deleteConflict(service, id, options.force, true);
    if (c) throw c.error;
    for (const key of refsOf(store.snapshot, id)) await untag(service, id, key, records);
  }
  await removeImage(service, id, records, !options.noprune);
  return records;
}

function safeKey(ref: string): string | undefined {
  try {
    return referenceKey(withDefaultTag(parseReference(ref)));
  } catch {
    return undefined;
  }
}

async function untag(service: ImageService, id: string, key: string, records: DeleteRecord[]): Promise<void> {
  await service.store.untag(key);
  records.push({ Untagged: familiarKey(key) });
  service.ctx.events.emit('image', 'untag', id, { name: familiarKey(key) });
}

/** Deletes an untagged image, then the layers nobody needs, then dangling parents (unless `prune` is off). */
async function removeImage(
  service: ImageService,
  id: string,
  records: DeleteRecord[],
  prune: boolean,
): Promise<number> {
  const { store } = service;
  const parent = store.entry(id).parent;
  const before = store.snapshot.layers;
  await store.deleteImage(id);
  records.push({ Deleted: id });
  service.ctx.events.emit('image', 'delete', id, {});
  let reclaimed = 0;
  for (const chain of await store.collect()) {
    reclaimed += before[chain]?.contentSize ?? before[chain]?.size ?? 0;
    records.push({ Deleted: chain });
  }
  const state = store.snapshot;
  if (
    prune &&
    parent &&
    state.images[parent] &&
    refsOf(state, parent).length === 0 &&
    !Object.values(state.images).some((i) => i.parent === parent) &&
    users(service, parent).length === 0
  ) {
    reclaimed += await removeImage(service, parent, records, prune);
  }
  return reclaimed;
}

/** `POST /images/prune`: dangling images (or, with `dangling=false`, every unused image). */
export async function pruneImages(
  service: ImageService,
  filters: Record<string, string[]>,
): Promise<{ ImagesDeleted: DeleteRecord[] | null; SpaceReclaimed: number }> {
  const { store } = service;
  const danglingOnly = !['false', '0'].includes(filters.dangling?.[0] ?? 'true');
  const until = filters.until?.[0];
  const untilSeconds = until === undefined ? undefined : parseUntil(until, service.ctx.now());
  const records: DeleteRecord[] = [];
  let reclaimed = 0;
  for (const image of Object.values(store.snapshot.images)) {
    const state = store.snapshot;
    if (!state.images[image.id]) continue;
    const config = store.config(image.id);
    const refs = refsOf(state, image.id);
    if (danglingOnly && refs.length > 0) continue;
    if (users(service, image.id).length > 0) continue;
    if (Object.values(state.images).some((i) => i.parent === image.id)) continue;
    if (!matchLabels(config.config.Labels ?? {}, filters.label)) continue;
    if (untilSeconds !== undefined && createdSeconds(config) >= untilSeconds) continue;
    for (const key of refs) await untag(service, image.id, key, records);
    reclaimed += await removeImage(service, image.id, records, true);
  }
  service.ctx.events.emit('image', 'prune', '', { reclaimed: String(reclaimed) });
  return { ImagesDeleted: records.length ? records : null, SpaceReclaimed: reclaimed };
}

/** `until`: a Unix timestamp, an RFC 3339 date, or a Go duration like `24h` before now. */
function parseUntil(value: string, now: number): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const d = /^(\d+)(h|m|s)$/.exec(value);
  if (d) return Math.floor(now / 1000) - Number(d[1]) * { h: 3600, m: 60, s: 1 }[d[2] as 'h' | 'm' | 's'];
  const t = Date.parse(value);
  return Number.isNaN(t) ? Math.floor(now / 1000) : Math.floor(t / 1000);
}

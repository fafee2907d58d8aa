import { getKey, isMapping } from '../plain-tree.js';

/**
 * Identity of a sequence item for the merge of multiple files: two items with the same key are
 * the same entry, and the later file's one wins. Undefined means "no identity": always kept.
 */
export type ItemKey = (item: unknown) => string | undefined;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** A port is identified by host IP, published port, target port and protocol, in either syntax. */
export const portKey: ItemKey = (item) => {
  if (typeof item === 'number') return `||${item}|tcp`;
  if (isMapping(item)) {
    const protocol = str(getKey(item, 'protocol')) || 'tcp';
    return `${str(getKey(item, 'host_ip'))}|${str(getKey(item, 'published'))}|${str(getKey(item, 'target'))}|${protocol}`;
  }
  if (typeof item !== 'string') return undefined;
  const [spec = '', protocol = 'tcp'] = item.split('/');
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(spec);
  const hostIp = bracketed ? bracketed[1] : undefined;
  const parts = (bracketed ? bracketed[2]! : spec).split(':');
  if (hostIp !== undefined)
    return parts.length === 2 ? `${hostIp}|${parts[0]}|${parts[1]}|${protocol}` : item;
  if (parts.length === 1) return `||${parts[0]}|${protocol}`;
  if (parts.length === 2) return `|${parts[0]}|${parts[1]}|${protocol}`;
  if (parts.length === 3) return `${parts[0]}|${parts[1]}|${parts[2]}|${protocol}`;
  return item;
};

/** A mount (volume, device) is identified by where it appears in the container. */
export const mountTargetKey: ItemKey = (item) => {
  if (isMapping(item)) {
    const target = getKey(item, 'target');
    return typeof target === 'string' ? trimSlash(target) : undefined;
  }
  if (typeof item !== 'string') return undefined;
  const parts = item.split(':');
  return trimSlash(parts.length === 1 ? parts[0]! : parts[1]!);
};

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Secrets and configs are identified by their target path (defaulting as Compose does). */
export function fileRefKey(defaultDir: string): ItemKey {
  const place = (name: string) => (name.startsWith('/') ? name : `${defaultDir}/${name}`);
  return (item) => {
    if (typeof item === 'string') return place(item);
    if (!isMapping(item)) return undefined;
    const target = getKey(item, 'target');
    const source = getKey(item, 'source');
    if (typeof target === 'string') return place(target);
    return typeof source === 'string' ? place(source) : undefined;
  };
}

/** Plain values (capabilities, DNS servers, profiles...) are their own identity. */
export const valueKey: ItemKey = (item) => (isMapping(item) || Array.isArray(item) ? undefined : str(item));

/** An env_file entry is identified by its path, in either syntax. */
export const envFileKey: ItemKey = (item) => (isMapping(item) ? str(getKey(item, 'path')) : valueKey(item));

/** An IPAM pool is identified by its subnet. */
export const subnetKey: ItemKey = (item) =>
  isMapping(item) ? str(getKey(item, 'subnet')) || undefined : undefined;

/** `KEY=value` (or `host:ip` for extra_hosts) entries are identified by their key. */
export function assignmentKey(separators: string): ItemKey {
  return (item) => {
    if (typeof item !== 'string') return undefined;
    const cut = [...separators].map((s) => item.indexOf(s)).filter((i) => i >= 0);
    return cut.length ? item.slice(0, Math.min(...cut)) : item;
  };
}

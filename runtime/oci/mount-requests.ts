import { posix } from 'node:path';
import type { HostConfig } from '../containers/api-types.js';
import { invalid } from '../errors.js';

/** A mount a container asked for, before volumes are resolved to host paths. */
export interface MountRequest {
  type: 'bind' | 'volume' | 'tmpfs';
  /** Host path (bind), volume name ('' = anonymous), or '' (tmpfs). */
  source: string;
  destination: string;
  readOnly: boolean;
  /** Extra mount options: propagation for binds, size/mode for tmpfs. */
  options: string[];
  /** Docker's `Mode` string as given in Binds (`ro`, `z`, ...). */
  mode: string;
}

/** A destination inside the container: absolute, cleaned, never `/`. */
export function cleanDestination(path: string, where: string): string {
  if (!path.startsWith('/'))
    throw invalid(`invalid mount config for ${where}: mount path must be absolute: ${path}`);
  const clean = posix.normalize(path).replace(/\/+$/, '') || '/';
  if (clean === '/') throw invalid(`invalid mount config for ${where}: destination can't be '/'`);
  return clean;
}

const PROPAGATIONS = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);

/** Parses one `Binds` entry: `src:dst[:opts]`; a src without `/` names a volume. */
export function parseBind(spec: string): MountRequest {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1])
    throw invalid(`invalid volume specification: '${spec}'`);
  const [source = '', dest = '', mode = ''] = parts;
  const opts = mode.split(',').filter(Boolean);
  for (const o of opts) {
    if (!['ro', 'rw', 'z', 'Z', 'nocopy', ...PROPAGATIONS].includes(o)) throw invalid(`invalid mode: ${o}`);
  }
  const isBind = source.startsWith('/');
  if (!isBind && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(source)) {
    throw invalid(
      `"${source}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    );
  }
  return {
    type: isBind ? 'bind' : 'volume',
    source: isBind ? posix.normalize(source) : source,
    destination: cleanDestination(dest, spec),
    readOnly: opts.includes('ro'),
    options: opts.filter((o) => PROPAGATIONS.has(o)),
    mode,
  };
}

/**
 * Every mount a container asks for, from `Binds`, `Mounts`, `Tmpfs` and the image's `VOLUME`s
 * (anonymous volumes for destinations nothing else covers). Two mounts on one destination: 400.
 */
export function mountRequests(host: HostConfig, imageVolumes: Record<string, object> = {}): MountRequest[] {
  const out: MountRequest[] = [];
  for (const b of host.Binds ?? []) out.push(parseBind(b));
  for (const m of host.Mounts ?? []) {
    const destination = cleanDestination(m.Target ?? '', m.Target ?? 'Mounts');
    if (m.Type === 'bind') {
      if (!m.Source?.startsWith('/'))
        throw invalid(
          `invalid mount config for type "bind": invalid mount path: '${m.Source ?? ''}' mount path must be absolute`,
        );
      const propagation = m.BindOptions?.Propagation;
      out.push({
        type: 'bind',
        source: posix.normalize(m.Source),
        destination,
        readOnly: !!m.ReadOnly,
        options: propagation ? [propagation] : [],
        mode: '',
      });
    } else if (m.Type === 'volume') {
      out.push({
        type: 'volume',
        source: m.Source ?? '',
        destination,
        readOnly: !!m.ReadOnly,
        options: [],
        mode: '',
      });
    } else if (m.Type === 'tmpfs') {
      const opts: string[] = [];
      if (m.TmpfsOptions?.SizeBytes) opts.push(`size=${m.TmpfsOptions.SizeBytes}`);
      if (m.TmpfsOptions?.Mode) opts.push(`mode=${m.TmpfsOptions.Mode.toString(8)}`);
      out.push({ type: 'tmpfs', source: '', destination, readOnly: !!m.ReadOnly, options: opts, mode: '' });
    } else throw invalid(`invalid mount config: mount type unknown: "${m.Type}"`);
  }
  for (const [dest, opts] of Object.entries(host.Tmpfs ?? {})) {
    const options = opts.split(',').filter(Boolean);
    out.push({
      type: 'tmpfs',
      source: '',
      destination: cleanDestination(dest, dest),
      readOnly: options.includes('ro'),
      options: options.filter((o) => o !== 'ro' && o !== 'rw'),
      mode: opts,
    });
  }
  const seen = new Set<string>();
  for (const m of out) {
    if (seen.has(m.destination)) throw invalid(`Duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
  }
  for (const dest of Object.keys(imageVolumes)) {
    const clean = cleanDestination(dest, `image VOLUME ${dest}`);
    if (seen.has(clean)) continue;
    seen.add(clean);
    out.push({ type: 'volume', source: '', destination: clean, readOnly: false, options: [], mode: '' });
  }
  return out;
}

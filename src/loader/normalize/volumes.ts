import { isAbsolute, resolve } from 'node:path';
import type { ServiceVolume } from '../../model/project.js';
import { ValueError } from './problems.js';
import { parseBytes } from './units.js';
import { asMapping, toBool, toStr } from './values.js';

/** Resolves host paths: relative to the project directory, `~` to the home directory. */
export interface PathResolver {
  workingDir: string;
  home: string;
}

const PROPAGATION = ['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate'];
const CONSISTENCY = ['consistent', 'cached', 'delegated'];

/**
 * A service volume, short syntax `[SOURCE:]TARGET[:MODES]` or long syntax, to long form. A
 * source that is a path (`.`, `..`, `/`, `~`) is a bind mount, resolved to an absolute path;
 * any other source names a volume; no source is an anonymous volume.
 */
export function transformVolume(value: unknown, paths: PathResolver): ServiceVolume {
  if (typeof value === 'string') return parseShortVolume(value, paths);
  return parseLongVolume(asMapping(value), paths);
}

/** Resolves a host path the way Compose does for binds, build contexts, env files and secrets. */
export function resolveHostPath(path: string, paths: PathResolver): string {
  if (path === '~' || path.startsWith('~/')) return resolve(paths.home, path.slice(2));
  return isAbsolute(path) ? path : resolve(paths.workingDir, path);
}

function isHostPath(source: string): boolean {
  return /^(\.{1,2}($|\/)|\/|~($|\/))/.test(source);
}

function parseShortVolume(spec: string, paths: PathResolver): ServiceVolume {
  const parts = spec.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) throw new ValueError(`invalid volume "${spec}"`);
  if (parts.length === 1) return { type: 'volume', target: parts[0] };
  const [source, target, modes = ''] = parts;
  const bind = isHostPath(source);
  const out: ServiceVolume = bind
    ? { type: 'bind', source: resolveHostPath(source, paths), target, bind: { create_host_path: true } }
    : { type: 'volume', source, target };
  for (const mode of modes.split(',').filter(Boolean)) {
    if (mode === 'ro' || mode === 'rw') out.read_only = mode === 'ro';
    else if (mode === 'nocopy' && !bind) out.volume = { nocopy: true };
    else if ((mode === 'z' || mode === 'Z') && bind) out.bind = { ...out.bind, selinux: mode };
    else if (PROPAGATION.includes(mode) && bind) out.bind = { ...out.bind, propagation: mode };
    else if (CONSISTENCY.includes(mode)) out.consistency = mode;
    else throw new ValueError(`invalid volume "${spec}": unknown mode "${mode}"`);
  }
  return out;
}

function parseLongVolume(v: Record<string, unknown>, paths: PathResolver): ServiceVolume {
  const type = toStr(v.type) as ServiceVolume['type'];
  if (v.target === undefined || v.target === '') throw new ValueError('"target" is required');
  const out: ServiceVolume = { type, target: toStr(v.target) };
  if (v.source !== undefined && v.source !== '') {
    const source = toStr(v.source);
    out.source = type === 'bind' ? resolveHostPath(source, paths) : source;
  } else if (type === 'bind') {
    throw new ValueError('a bind mount needs a "source"');
  }
  if (v.read_only !== undefined) out.read_only = toBool(v.read_only);
  if (v.consistency !== undefined) out.consistency = toStr(v.consistency);
  const bind = asMapping(v.bind);
  if (v.bind !== undefined) {
    out.bind = {};
    if (bind.propagation !== undefined) out.bind.propagation = toStr(bind.propagation);
    if (bind.create_host_path !== undefined) out.bind.create_host_path = toBool(bind.create_host_path);
    if (bind.selinux !== undefined) out.bind.selinux = bind.selinux === 'Z' ? 'Z' : 'z';
  }
  const volume = asMapping(v.volume);
  if (v.volume !== undefined) {
    out.volume = {};
    if (volume.nocopy !== undefined) out.volume.nocopy = toBool(volume.nocopy);
    if (volume.subpath !== undefined) out.volume.subpath = toStr(volume.subpath);
  }
  const tmpfs = asMapping(v.tmpfs);
  if (v.tmpfs !== undefined) {
    out.tmpfs = {};
    if (tmpfs.size !== undefined) out.tmpfs.size = parseBytes(tmpfs.size);
    if (tmpfs.mode !== undefined) out.tmpfs.mode = parseMode(tmpfs.mode);
  }
  return out;
}

/**
 * A file mode, as Compose reads it: a number is the mode itself (YAML's `0440` already parsed as
 * 288, `288` is 288, `440` is 440), a string is octal (`"0440"`, `"440"`, and `"0o440"` too). The
 * loader writes numeric modes as octal strings before normalization (interpolation/casts.ts), so
 * both forms arrive here meaning the same. Anything else is a ValueError.
 */
export function parseMode(value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new ValueError(`invalid file mode ${value}: must be a non-negative integer`);
  }
  const written = toStr(value).trim();
  const digits = written.replace(/^0o/i, '');
  if (!/^[0-7]+$/.test(digits))
    throw new ValueError(`invalid file mode "${written}": write it in octal, as "0440"`);
  return Number.parseInt(digits, 8);
}

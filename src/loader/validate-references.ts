import { BerthError } from '../errors/kinds.js';
import { serviceOfLink, serviceOfMode, serviceOfVolumesFrom } from '../graph/service-dependencies.js';
import { formatPath, formatPosition, type PositionIndex, type TreePath } from './tree-path.js';

type Tree = Record<string, unknown>;

/** A source in volume short syntax that is a host path, not a volume name. */
const HOST_PATH = /^(\.{1,2}($|\/)|\/|~($|\/))/;

/**
 * Stage 5b: cross-reference checks on a schema-valid tree. Every service must have `image` or
 * `build`, and every name it uses must be defined: networks (besides the implicit `default`),
 * named volumes, secrets, configs, and services in `depends_on` (unless `required: false`),
 * `links`, `network_mode`/`ipc`/`pid: service:x` and `volumes_from`. `network_mode` excludes
 * `networks`. Throws one `invalid` error listing every problem, each at the referring node.
 */
export function validateReferences(tree: Tree, positions: PositionIndex): void {
  const problems: BerthError[] = [];
  const services = mapping(tree.services);
  const defined = {
    network: new Set([...Object.keys(mapping(tree.networks)), 'default']),
    volume: new Set(Object.keys(mapping(tree.volumes))),
    secret: new Set(Object.keys(mapping(tree.secrets))),
    config: new Set(Object.keys(mapping(tree.configs))),
    service: new Set(Object.keys(services)),
  };
  for (const [name, raw] of Object.entries(services)) {
    const svc = mapping(raw);
    const at = (...rest: Array<string | number>): TreePath => ['services', name, ...rest];
    const report = (path: TreePath, message: string) =>
      problems.push(located(path, message, name, positions));
    const need = (kind: keyof typeof defined, ref: string, path: TreePath) => {
      if (!defined[kind].has(ref)) report(path, `refers to undefined ${kind} "${ref}"`);
    };
    if (svc.image === undefined && svc.build === undefined) {
      report(at(), `service "${name}" has neither an image nor a build context`);
    }
    for (const [net, path] of entries(svc.networks, at('networks'))) need('network', net, path);
    if (svc.network_mode !== undefined && svc.networks !== undefined) {
      report(at('network_mode'), '"network_mode" and "networks" cannot be used together');
    }
    list(svc.volumes).forEach((v, i) => {
      const source = volumeName(v);
      if (source !== undefined) need('volume', source, at('volumes', i));
    });
    for (const [i, s] of list(svc.secrets).entries()) need('secret', refSource(s), at('secrets', i));
    for (const [i, c] of list(svc.configs).entries()) need('config', refSource(c), at('configs', i));
    for (const [i, s] of list(mapping(svc.build).secrets).entries()) {
      need('secret', refSource(s), at('build', 'secrets', i));
    }
    for (const [dep, path] of entries(svc.depends_on, at('depends_on'))) {
      if (isFalse(mapping(mapping(svc.depends_on)[dep]).required)) continue;
      need('service', dep, path);
    }
    for (const [i, l] of list(svc.links).entries()) need('service', serviceOfLink(String(l)), at('links', i));
    for (const key of ['network_mode', 'ipc', 'pid'] as const) {
      const target = serviceOfMode(typeof svc[key] === 'string' ? svc[key] : undefined);
      if (target !== undefined) need('service', target, at(key));
    }
    list(svc.volumes_from).forEach((v, i) => {
      const target = serviceOfVolumesFrom(String(v));
      if (target !== undefined) need('service', target, at('volumes_from', i));
    });
  }
  if (problems.length === 0) return;
  if (problems.length === 1) throw problems[0];
  throw new BerthError(
    'invalid',
    `invalid stack file (${problems.length} problems):`,
    {},
    { details: problems },
  );
}

function located(path: TreePath, message: string, service: string, positions: PositionIndex): BerthError {
  const pos = positions.get(path);
  return new BerthError('invalid', message, {
    location: pos ? formatPosition(pos) : undefined,
    path: formatPath(path),
    service,
  });
}

/** The named volume a service volume refers to, if any (not binds, tmpfs or anonymous volumes). */
function volumeName(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const parts = v.split(':');
    return parts.length >= 2 && !HOST_PATH.test(parts[0]) ? parts[0] : undefined;
  }
  const m = mapping(v);
  return m.type === 'volume' && typeof m.source === 'string' && m.source !== '' ? m.source : undefined;
}

/** `false`, also as a string (`"false"`, `"no"`, `"off"`) when interpolation was skipped. */
function isFalse(value: unknown): boolean {
  return (
    value === false ||
    (typeof value === 'string' && ['false', 'no', 'off', 'n', '0'].includes(value.toLowerCase()))
  );
}

function refSource(ref: unknown): string {
  return typeof ref === 'string' ? ref : String(mapping(ref).source);
}

/** Names in a list-or-mapping attribute, with the path of each (`[i]` for lists, the key for maps). */
function entries(value: unknown, base: TreePath): Array<[string, TreePath]> {
  if (Array.isArray(value)) return value.map((v, i) => [String(v), [...base, i]]);
  return Object.keys(mapping(value)).map((k) => [k, [...base, k]]);
}

function mapping(value: unknown): Tree {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Tree) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

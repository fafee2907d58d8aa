import { BerthError } from '../errors/kinds.js';
import { validate } from '../model/compose-validator.gen.js';
import { formatPath, formatPosition, type PositionIndex, type TreePath } from './tree-path.js';

/** The part of an ajv error this module reads. */
interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** One reduced problem: where it is (path for messages, place for the position) and what. */
interface Problem {
  path: TreePath;
  /** The node to locate: the offending key for unknown keys, else `path`. */
  place: TreePath;
  keyword: string;
  message: string;
  types?: string[];
}

const validateTree = validate as unknown as ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/** Top-level sections whose keys are names (services, networks, ...). */
const NAMED_SECTION =
  /^#\/properties\/(services|networks|volumes|secrets|configs|models)\/additionalProperties$/;

/**
 * Stage 5a: validates a merged, interpolated tree against schemas/compose.schema.json (compiled
 * ahead of time). Throws one `invalid` BerthError whose `details` list every problem, each the
 * most specific one for its place, located through `positions`.
 */
export function validateSchema(tree: Record<string, unknown>, positions: PositionIndex): void {
  if (validateTree(tree)) return;
  const problems = reduceErrors(validateTree.errors ?? [], tree);
  const details = problems.map((p) => {
    const pos = positions.get(p.place);
    return new BerthError('invalid', p.message, {
      location: pos ? formatPosition(pos) : undefined,
      path: formatPath(p.path) || undefined,
    });
  });
  details.sort(byPlace);
  const count = details.length === 1 ? '1 problem' : `${details.length} problems`;
  throw new BerthError('invalid', `invalid stack file (${count}):`, {}, { details });
}

/**
 * Keeps the most specific error per place. Alternatives (`anyOf`) that failed only because the
 * value had another type are noise once some branch matched the type and failed deeper, so a
 * type error is dropped when another error sits below its path (or at it, of another kind).
 * The type errors left at one path are merged into "must be a X or Y".
 */
function reduceErrors(errors: readonly AjvError[], tree: unknown): Problem[] {
  const raw = errors
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf')
    .map((e) => toProblem(e, tree));
  const out = new Map<string, Problem>();
  for (const p of raw) {
    if (p.keyword === 'type' && raw.some((d) => isBelow(d, p.path))) continue;
    const key = `${formatPath(p.path)}\u0000${p.keyword === 'type' ? 'type' : p.message}`;
    const seen = out.get(key);
    if (seen?.types && p.types) seen.types.push(...p.types.filter((t) => !seen.types?.includes(t)));
    else if (!seen) out.set(key, p);
  }
  for (const p of out.values()) if (p.types) p.message = `must be ${describeTypes(p.types)}`;
  return [...out.values()];
}

function toProblem(e: AjvError, tree: unknown): Problem {
  const path = pointerToPath(e.instancePath, tree);
  const { params } = e;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const message = NAMED_SECTION.test(e.schemaPath)
        ? `invalid name "${key}": only letters, digits, ".", "_" and "-" are allowed`
        : `additional property "${key}" is not allowed`;
      return { path, place: [...path, key], keyword: e.keyword, message };
    }
    case 'type': {
      const types = Array.isArray(params.type) ? params.type.map(String) : String(params.type).split(',');
      return { path, place: path, keyword: e.keyword, message: '', types };
    }
    case 'required':
      return { path, place: path, keyword: e.keyword, message: `"${params.missingProperty}" is required` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      const got = JSON.stringify(valueAt(tree, path));
      return { path, place: path, keyword: e.keyword, message: `must be one of ${allowed}, not ${got}` };
    }
    case 'uniqueItems': {
      const [i, j] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      return {
        path,
        place: [...path, j],
        keyword: e.keyword,
        message: `items [${i}] and [${j}] are duplicates`,
      };
    }
    case 'pattern':
      return {
        path,
        place: path,
        keyword: e.keyword,
        message: `${JSON.stringify(valueAt(tree, path))} does not match ${params.pattern}`,
      };
    default:
      return { path, place: path, keyword: e.keyword, message: e.message ?? `fails ${e.keyword}` };
  }
}

/** JSON pointer to tree path; segments under lists become numbers so paths render as `ports[0]`. */
function pointerToPath(pointer: string, tree: unknown): TreePath {
  if (!pointer) return [];
  const out: Array<string | number> = [];
  let node: unknown = tree;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out.push(Number(seg));
      node = node[Number(seg)];
    } else {
      out.push(seg);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

/** The value of the tree at `path`. */
function valueAt(tree: unknown, path: TreePath): unknown {
  let node = tree;
  for (const seg of path)
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
  return node;
}

/** True when `p` is an error below `path`, or a non-type error at it. */
function isBelow(p: Problem, path: TreePath): boolean {
  if (p.path.length < path.length || !path.every((s, i) => s === p.path[i])) return false;
  return p.path.length > path.length || p.keyword !== 'type';
}

const HUMAN_TYPE: Record<string, string> = { object: 'mapping', array: 'list', boolean: 'boolean' };

/** `["string","number","object"]` -> `a string, number or mapping`. */
function describeTypes(types: string[]): string {
  const names = [...new Set(types.filter((t) => !(t === 'integer' && types.includes('number'))))].map(
    (t) => HUMAN_TYPE[t] ?? t,
  );
  const listed = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
  if (names[0] === 'null') return listed;
  return `${/^[aeiou]/.test(listed) ? 'an' : 'a'} ${listed}`;
}

/** Orders problems as they appear in the files: file, line, column, then path. */
function byPlace(a: BerthError, b: BerthError): number {
  const ka = placeKey(a);
  const kb = placeKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function placeKey(e: BerthError): string {
  const m = /^(.*):(\d+):(\d+)$/.exec(e.context.location ?? '');
  const where = m ? `${m[1]}\u0000${m[2].padStart(8, '0')}:${m[3].padStart(8, '0')}` : '\uffff';
  return `${where}\u0000${e.context.path ?? ''}`;
}

import type { Node, ScalarTag, YAMLError } from 'yaml';
import { BerthError } from '../errors/kinds.js';
import { setOwnPosition } from './node-positions.js';
import { isMapping, type Mapping } from './plain-tree.js';
import { parsePlainYaml } from './plain-yaml/parse-plain-yaml.js';
import { formatPath, formatPosition, type TreePath } from './tree-path.js';
import { yamlLibrary } from './yaml-library.js';
import { yamlToTree } from './yaml-to-tree.js';

/** Tags Compose gives a meaning to; any other local tag is an error. */
const MERGE_TAGS = new Set(['!reset', '!override']);

/**
 * YAML 1.1's C-style octal integers (`0440` is 288). Compose's parser still reads them so, and
 * stack files rely on it for file modes (`mode: 0440`); YAML 1.2's core schema alone would read
 * the decimal 440. Tried before the core schema's decimal integers; `0o440` keeps working.
 */
const C_OCTAL_INT: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^[-+]?0[0-7]+$/,
  resolve: (source) => Number.parseInt(source, 8),
};

/**
 * Which reader parses stack files: `auto` tries the fast path first, `library` always uses the
 * `yaml` library (the escape hatch `BERTH_YAML=library`, should the fast path ever misread a file).
 */
export type YamlReader = 'auto' | 'library';

/**
 * Parses one stack file into a plain tree whose nodes carry their source positions (see
 * node-positions.ts). YAML errors, duplicate keys, tabs used as indentation, several documents in
 * one file and unknown tags all fail with the file:line:col of the problem. An empty file is an
 * empty mapping. Files written in the plain subset of YAML most stack files use take a fast path
 * (plain-yaml/); every other file, and every malformed one, is read by the `yaml` library.
 */
export function parseStackYaml(text: string, file: string, reader: YamlReader = 'auto'): Mapping {
  return (reader === 'auto' ? parsePlainYaml(text, file) : undefined) ?? parseWithLibrary(text, file);
}

/** The `yaml` library's reading of a stack file: all of YAML, and its messages for problems. */
export function parseWithLibrary(text: string, file: string): Mapping {
  const { LineCounter, parseAllDocuments } = yamlLibrary();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    merge: false,
    customTags: (tags) => [C_OCTAL_INT, ...tags],
  });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const list = [...docs];
  if (list.length === 0) return rootOf({}, at(0));
  for (const doc of list) {
    const problem = doc.errors[0] ?? doc.warnings.find((w) => !isMergeTagWarning(w));
    if (problem) throw yamlError(problem, at, pathAt(doc.contents, problem.pos[0]));
  }
  if (list.length > 1) {
    const second = list[1]!;
    throw new BerthError(
      'invalid',
      'a stack file holds one YAML document; remove the "---" separator or split the file',
      { location: formatPosition(at(second.range[0])) },
    );
  }
  const doc = list[0]!;
  const tree = yamlToTree(doc, at);
  if (tree === null || tree === undefined) return rootOf({}, at(0));
  if (!isMapping(tree)) {
    throw new BerthError('invalid', 'the top level of a stack file must be a mapping', {
      location: formatPosition(at(doc.contents?.range?.[0] ?? 0)),
    });
  }
  return rootOf(tree, at(doc.contents?.range?.[0] ?? 0));
}

function rootOf(tree: Mapping, pos: { file: string; line: number; col: number }): Mapping {
  setOwnPosition(tree, pos);
  return tree;
}

function isMergeTagWarning(w: YAMLError): boolean {
  if (w.code !== 'TAG_RESOLVE_FAILED') return false;
  const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1];
  return tag !== undefined && MERGE_TAGS.has(tag);
}

function yamlError(
  err: YAMLError,
  at: (offset: number) => { file: string; line: number; col: number },
  path: TreePath,
): BerthError {
  const location = formatPosition(at(err.pos[0]));
  const named = path.length > 0;
  return new BerthError(
    'invalid',
    describeYamlError(err),
    named ? { location, path: formatPath(path) } : { location },
  );
}

/** The path of the deepest node around `offset`, so a YAML error also names its place in the model. */
function pathAt(node: unknown, offset: number): TreePath {
  const { isMap, isScalar, isSeq } = yamlLibrary();
  const path: Array<string | number> = [];
  const inside = (n: unknown) => {
    const range = (n as Node | null)?.range;
    return range != null && range[0] <= offset && offset <= range[2];
  };
  let current = node;
  for (let depth = 0; depth < 100; depth++) {
    if (isMap(current)) {
      const pair = current.items.find((p) => inside(p.key) || inside(p.value));
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      if (!inside(pair.value)) break;
      current = pair.value;
    } else if (isSeq(current)) {
      const index = current.items.findIndex(inside);
      if (index < 0) break;
      path.push(index);
      current = current.items[index];
    } else break;
  }
  return path;
}

/** yaml's messages, with the ones users meet most phrased for a stack file. */
function describeYamlError(err: YAMLError): string {
  const first = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (err.code) {
    case 'DUPLICATE_KEY':
      return 'duplicate key: a mapping defines this key twice';
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed as indentation in YAML; indent with spaces';
    case 'TAG_RESOLVE_FAILED':
      return `${first} (stack files understand only !reset and !override)`;
    default:
      return `invalid YAML: ${first}`;
  }
}

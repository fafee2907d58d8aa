import type { Document, Node, Scalar } from 'yaml';
import { BerthError } from '../errors/kinds.js';
import { MergeTag } from './merge-tags.js';
import { carryPosition, setChildPosition } from './node-positions.js';
import { isMapping, type Mapping, putKey } from './plain-tree.js';
import { formatPosition, type SourcePosition } from './tree-path.js';
import { yamlLibrary } from './yaml-library.js';

/** More expanded nodes than this means an alias bomb, not a stack file. */
const MAX_NODES = 100_000;

type At = (offset: number) => SourcePosition;

/**
 * Converts a parsed YAML document into a plain tree, recording where every node was written.
 * Aliases are expanded (a copy per use, so later stages never share nodes), `<<` merge keys are
 * applied (explicit keys win, then earlier merge sources), and `!reset`/`!override` become
 * {@link MergeTag} markers.
 */
export function yamlToTree(doc: Document, at: At): unknown {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlLibrary();
  let budget = MAX_NODES;
  const active = new Set<Node>();

  const fail = (node: Node | null | undefined, message: string): never => {
    throw new BerthError('invalid', message, { location: formatPosition(at(node?.range?.[0] ?? 0)) });
  };

  const convert = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (--budget < 0) fail(node as Node, 'too many nodes after expanding aliases');
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return fail(node, `unknown alias *${node.source}`);
      if (active.has(target)) return fail(node, `alias *${node.source} refers to itself`);
      return convert(target);
    }
    const n = node as Node;
    active.add(n);
    try {
      const value = convertNode(n);
      const tag = n.tag;
      if (tag === '!reset' || tag === '!override')
        return new MergeTag(tag === '!reset' ? 'reset' : 'override', value);
      return value;
    } finally {
      active.delete(n);
    }
  };

  const convertNode = (node: Node): unknown => {
    if (isScalar(node)) return node.value === undefined ? null : node.value;
    if (isSeq(node)) {
      const out: unknown[] = [];
      for (const item of node.items) {
        if (item && (item as Node).range) setChildPosition(out, out.length, at((item as Node).range![0]));
        out.push(convert(item));
      }
      return out;
    }
    if (isMap(node)) return convertMap(node.items);
    return fail(node, 'unsupported YAML node');
  };

  const convertMap = (pairs: readonly unknown[]): Mapping => {
    const out: Mapping = {};
    const merged: Mapping[] = [];
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      if (isScalar(keyNode) && keyNode.value === '<<' && keyNode.type === 'PLAIN') {
        merged.push(...mergeSources(keyNode, valueNode));
        continue;
      }
      if (keyNode !== null && !isScalar(keyNode)) fail(keyNode, 'mapping keys must be plain strings');
      const key = keyNode === null ? '' : String((keyNode as Scalar).value ?? '');
      const usesKeyPos = valueNode === null || !isScalar(valueNode) || valueNode.range === undefined;
      const posNode = usesKeyPos ? keyNode : valueNode;
      if (posNode?.range) setChildPosition(out, key, at(posNode.range[0]));
      putKey(out, key, convert(valueNode));
    }
    // `<<` sources fill in keys the mapping does not set itself; earlier sources win.
    for (const source of merged) {
      for (const [key, value] of Object.entries(source)) {
        if (Object.hasOwn(out, key)) continue;
        carryPosition(source, key, out, key);
        putKey(out, key, value);
      }
    }
    return out;
  };

  const mergeSources = (keyNode: Node, valueNode: Node | null): Mapping[] => {
    const sources = isSeq(valueNode) ? valueNode.items : [valueNode];
    return sources.map((src) => {
      const value = convert(src);
      if (!isMapping(value))
        return fail((src as Node) ?? keyNode, 'a "<<" merge key needs a mapping or a list of them');
      return value;
    });
  };

  return convert(doc.contents);
}

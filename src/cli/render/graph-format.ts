import type { DependencyEdge, DependencyGraph } from '../../graph/dependency-graph.js';

/** The output formats of `berth graph`. */
export type GraphFormat = 'text' | 'dot' | 'mermaid' | 'json';

/**
 * An edge's label: its condition, then the other relations that declare it (`links`,
 * `network_mode`...), then `optional` and `restart` when they apply.
 */
export function edgeLabel(edge: DependencyEdge): string {
  return [
    edge.condition,
    ...edge.kinds.filter((k) => k !== 'depends_on'),
    ...(edge.required ? [] : ['optional']),
    ...(edge.restart ? ['restart'] : []),
  ].join(', ');
}

/** Renders the graph: levels and edges as text, Graphviz DOT, a Mermaid flowchart, or JSON for tools. */
export function renderGraph(graph: DependencyGraph, format: GraphFormat, title: string): string {
  if (format === 'dot') return renderDot(graph, title);
  if (format === 'mermaid') return renderMermaid(graph);
  if (format === 'json') {
    const { services, edges } = graph;
    return `${JSON.stringify({ services, levels: graph.levels(), order: graph.order(), edges }, null, 2)}\n`;
  }
  return renderText(graph);
}

function renderText(graph: DependencyGraph): string {
  const lines = graph.levels().map((names, i) => `level ${i}: ${names.join(' ')}`);
  if (graph.edges.length > 0) lines.push('');
  for (const e of graph.edges) lines.push(`${e.from} -> ${e.to} (${edgeLabel(e)})`);
  return `${lines.join('\n')}\n`;
}

function renderDot(graph: DependencyGraph, title: string): string {
  const q = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
  const lines = [`digraph ${q(title)} {`, '  rankdir=LR;', '  node [shape=box];'];
  for (const name of graph.services) lines.push(`  ${q(name)};`);
  for (const e of graph.edges) {
    const style = e.required ? '' : ', style=dashed';
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(edgeLabel(e))}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function renderMermaid(graph: DependencyGraph): string {
  // Service names may hold characters Mermaid reads as syntax; nodes get plain ids and labels.
  const id = new Map(graph.services.map((name, i) => [name, `s${i}`]));
  const text = (s: string) => s.replace(/"/g, '#quot;');
  const lines = ['flowchart LR'];
  for (const name of graph.services) lines.push(`  ${id.get(name)}["${text(name)}"]`);
  for (const e of graph.edges) {
    const arrow = e.required ? '-->' : '-.->';
    lines.push(`  ${id.get(e.from)} ${arrow}|"${text(edgeLabel(e))}"| ${id.get(e.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

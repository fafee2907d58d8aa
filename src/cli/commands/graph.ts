import { Flags } from '@oclif/core';
import { buildDependencyGraph } from '../../graph/dependency-graph.js';
import { loadProject } from '../../loader/load-project.js';
import { BerthCommand } from '../base-command.js';
import { type GraphFormat, renderGraph } from '../render/graph-format.js';
import { projectLoadOptions } from './config.js';

/** `berth graph`: the services' dependency graph. */
export default class Graph extends BerthCommand {
  static override summary = 'Print the dependency graph of the services';
  static override description =
    'Levels of services that can start in parallel, and each dependency labelled with its condition (depends_on, links, network_mode/ipc/pid service:, volumes_from). DOT and Mermaid output can be rendered as pictures.';
  static override examples = [
    '<%= config.bin %> graph',
    '<%= config.bin %> graph --format dot | dot -Tsvg > graph.svg',
    '<%= config.bin %> graph --format mermaid',
  ];

  static override flags = {
    ...BerthCommand.projectFlags,
    format: Flags.string({
      description: 'Output format',
      options: ['text', 'dot', 'mermaid', 'json'],
      default: 'text',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Graph);
    // loadProject already rejects cycles, with their place in the file.
    const project = await loadProject(projectLoadOptions(flags));
    const graph = buildDependencyGraph(project);
    process.stdout.write(renderGraph(graph, flags.format as GraphFormat, project.name));
  }
}

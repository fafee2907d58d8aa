import { Args, Flags } from '@oclif/core';
import { projectImages } from '../../project/queries.js';
import { ProjectCommand } from '../project-command.js';
import { textTable } from '../render/ps-format.js';

/** `berth images`: the images the project's containers use. */
export default class Images extends ProjectCommand {
  static override summary = 'List images used by the created containers';
  static override examples = ['<%= config.bin %> images', '<%= config.bin %> images -q'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    quiet: Flags.boolean({ char: 'q', description: 'Only display IDs' }),
    format: Flags.string({ description: 'Output format', options: ['table', 'json'], default: 'table' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Images);
    const project = await this.openProject(flags, true, argv as string[]);
    try {
      const rows = await projectImages(project.engine, project.name, argv as string[]);
      if (flags.quiet) for (const id of new Set(rows.map((r) => r.id))) this.log(id);
      else if (flags.format === 'json') this.log(JSON.stringify(rows, null, 2));
      else {
        const cells = rows.map((r) => [
          r.container,
          r.repository,
          r.tag,
          r.id,
          `${(r.size / 1e6).toFixed(1)}MB`,
        ]);
        this.log(textTable(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'], cells));
      }
    } finally {
      project.close();
    }
  }
}

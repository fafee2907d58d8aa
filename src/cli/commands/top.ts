import { Args } from '@oclif/core';
import { projectTop } from '../../project/queries.js';
import { ProjectCommand } from '../project-command.js';
import { textTable } from '../render/ps-format.js';

/** `berth top`: the processes running in each service container. */
export default class Top extends ProjectCommand {
  static override summary = 'Display the running processes';
  static override examples = ['<%= config.bin %> top', '<%= config.bin %> top web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = { ...ProjectCommand.globalFlags };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Top);
    const project = await this.openProject(flags, true, argv as string[]);
    try {
      for (const c of await projectTop(project.engine, project.name, argv as string[])) {
        this.log(`${c.name}\n${textTable(c.Titles, c.Processes)}\n`);
      }
    } finally {
      project.close();
    }
  }
}

import { Args, Flags } from '@oclif/core';
import { waitServices } from '../../project/queries.js';
import { ProjectCommand } from '../project-command.js';

/** `berth wait`: block until the services' containers stop; print their exit codes. */
export default class Wait extends ProjectCommand {
  static override summary = 'Block until containers of the services stop';
  static override examples = ['<%= config.bin %> wait migrate'];
  static override strict = false;
  static override args = {
    services: Args.string({ required: true, description: 'Services', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    'down-project': Flags.boolean({ description: 'Drop the project when the first container stops' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Wait);
    const project = await this.openProject(flags, true, argv as string[]);
    try {
      // As docker compose prints it, each as it stops; the exit code is the last one's.
      const exits = await waitServices(
        project.engine,
        project.name,
        argv as string[],
        this.interruptSignal(),
        (e) => this.log(`container "${e.id}" exited with status code ${e.code}`),
      );
      if (flags['down-project']) await project.down({ removeOrphans: true });
      process.exitCode = exits.at(-1)?.code ?? 0;
    } finally {
      project.close();
    }
  }
}

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
      const results = await waitServices(
        project.engine,
        project.name,
        argv as string[],
        this.interruptSignal(),
      );
      for (const r of results) this.log(`${r.name} exited with code ${r.code}`);
      if (flags['down-project']) await project.down({});
      process.exitCode = results[0]?.code ?? 0;
    } finally {
      project.close();
    }
  }
}

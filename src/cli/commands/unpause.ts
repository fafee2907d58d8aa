import { Args } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth unpause`: Unpause services. */
export default class UnpauseCommand extends ProjectCommand {
  static override summary = 'Unpause services';
  static override examples = ['<%= config.bin %> unpause', '<%= config.bin %> unpause web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(UnpauseCommand);
    await this.lifecycle('unpause', flags, argv as string[]);
  }
}

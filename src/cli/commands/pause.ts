import { Args } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth pause`: Pause services. */
export default class PauseCommand extends ProjectCommand {
  static override summary = 'Pause services';
  static override examples = ['<%= config.bin %> pause', '<%= config.bin %> pause web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(PauseCommand);
    await this.lifecycle('pause', flags, argv as string[]);
  }
}

import { Args } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth start`: Start existing containers. */
export default class StartCommand extends ProjectCommand {
  static override summary = 'Start existing containers';
  static override examples = ['<%= config.bin %> start', '<%= config.bin %> start web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(StartCommand);
    await this.lifecycle('start', flags, argv as string[]);
  }
}

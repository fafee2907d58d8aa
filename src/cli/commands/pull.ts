import { Args } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth pull`: pull service images, in parallel, with progress. */
export default class PullCommand extends ProjectCommand {
  static override summary = 'Pull service images';
  static override examples = ['<%= config.bin %> pull', '<%= config.bin %> pull web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = { ...ProjectCommand.globalFlags };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(PullCommand);
    await this.images('pull', flags, argv as string[]);
  }
}

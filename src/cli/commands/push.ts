import { Args } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth push`: push service images, in parallel, with progress. */
export default class PushCommand extends ProjectCommand {
  static override summary = 'Push service images';
  static override examples = ['<%= config.bin %> push', '<%= config.bin %> push web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = { ...ProjectCommand.globalFlags };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(PushCommand);
    await this.images('push', flags, argv as string[]);
  }
}

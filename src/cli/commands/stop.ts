import { Args, Flags } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth stop`: Stop running containers without removing them. */
export default class StopCommand extends ProjectCommand {
  static override summary = 'Stop running containers without removing them';
  static override examples = ['<%= config.bin %> stop', '<%= config.bin %> stop web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    timeout: Flags.integer({ char: 't', description: 'Shutdown timeout in seconds' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(StopCommand);
    await this.lifecycle('stop', flags, argv as string[], { timeout: flags.timeout });
  }
}

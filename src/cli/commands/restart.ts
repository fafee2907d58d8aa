import { Args, Flags } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth restart`: Restart service containers. */
export default class RestartCommand extends ProjectCommand {
  static override summary = 'Restart service containers';
  static override examples = ['<%= config.bin %> restart', '<%= config.bin %> restart web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    timeout: Flags.integer({ char: 't', description: 'Shutdown timeout in seconds' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(RestartCommand);
    await this.lifecycle('restart', flags, argv as string[], { timeout: flags.timeout });
  }
}

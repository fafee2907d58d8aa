import { Args, Flags } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth kill`: Force stop service containers. */
export default class KillCommand extends ProjectCommand {
  static override summary = 'Force stop service containers';
  static override examples = ['<%= config.bin %> kill', '<%= config.bin %> kill web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    signal: Flags.string({ char: 's', description: 'Signal to send', default: 'SIGKILL' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(KillCommand);
    await this.lifecycle('kill', flags, argv as string[], { killSignal: flags.signal });
  }
}

import { Args, Flags } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth rm`: Remove stopped service containers. */
export default class RmCommand extends ProjectCommand {
  static override summary = 'Remove stopped service containers';
  static override examples = ['<%= config.bin %> rm', '<%= config.bin %> rm web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    force: Flags.boolean({ char: 'f', description: "Don't ask to confirm removal" }),
    stop: Flags.boolean({ char: 's', description: 'Stop the containers first, if required' }),
    volumes: Flags.boolean({ char: 'v', description: 'Remove anonymous volumes attached to containers' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(RmCommand);
    await this.lifecycle('rm', flags, argv as string[], { stop: flags.stop, volumes: flags.volumes });
  }
}

import { Args, Flags } from '@oclif/core';
import { lineConfirm } from '../../project/confirm.js';
import { ProjectCommand } from '../project-command.js';

/** `berth rm`: Remove stopped service containers, after asking unless `-f`. */
export default class RmCommand extends ProjectCommand {
  static override summary = 'Remove stopped service containers';
  static override description =
    'Asks "Going to remove ... Are you sure? [yN]" and reads the answer from standard input; ' +
    'when input ends without an answer (no terminal), nothing is removed. -f removes without asking.';
  static override examples = [
    '<%= config.bin %> rm',
    '<%= config.bin %> rm -f web',
    'echo y | <%= config.bin %> rm',
  ];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlagsOwnF,
    force: Flags.boolean({ char: 'f', description: "Don't ask to confirm removal" }),
    stop: Flags.boolean({ char: 's', description: 'Stop the containers first, if required' }),
    volumes: Flags.boolean({ char: 'v', description: 'Remove anonymous volumes attached to containers' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(RmCommand);
    await this.withProject(flags, true, argv as string[], (project, call) =>
      project.rm({
        services: argv as string[],
        stop: flags.stop,
        volumes: flags.volumes,
        force: flags.force,
        confirm: lineConfirm(process.stdin, process.stdout),
        onMessage: (text) => process.stderr.write(`${text}\n`),
        ...call,
      }),
    );
  }
}

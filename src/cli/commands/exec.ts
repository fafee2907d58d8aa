import { Args, Flags } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth exec`: run a command in a running service container; its exit code is berth's. */
export default class Exec extends ProjectCommand {
  static override summary = 'Execute a command in a running container';
  static override examples = [
    '<%= config.bin %> exec web sh',
    '<%= config.bin %> exec -T db pg_dump app > dump.sql',
  ];
  static override strict = false;
  static override args = {
    service: Args.string({ required: true, description: 'Service', ignoreStdin: true }),
    command: Args.string({ description: 'Command and arguments', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    detach: Flags.boolean({ char: 'd', description: 'Run the command in the background' }),
    'no-TTY': Flags.boolean({ char: 'T', description: 'Disable pseudo-TTY allocation' }),
    env: Flags.string({
      char: 'e',
      description: 'Set an environment variable (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    workdir: Flags.string({ char: 'w', description: 'Working directory for the command' }),
    user: Flags.string({ char: 'u', description: 'Run as this user' }),
    index: Flags.integer({ description: 'Index of the container if the service has several', default: 1 }),
    privileged: Flags.boolean({ description: 'Give extended privileges to the process' }),
  };

  async run(): Promise<void> {
    const [own, command] = this.splitCommand(Exec.flags);
    const { flags, argv } = await this.parse(Exec, own);
    const [service] = argv as string[];
    const project = await this.openProject(flags, false, [service]);
    const tty = !flags['no-TTY'] && process.stdin.isTTY === true;
    try {
      process.exitCode = await project.exec(
        {
          service,
          command,
          index: flags.index,
          env: flags.env,
          workdir: flags.workdir,
          user: flags.user,
          privileged: flags.privileged,
          tty,
          interactive: !flags.detach && (tty || !process.stdin.isTTY),
          detach: flags.detach,
        },
        process,
      );
    } finally {
      project.close();
    }
  }
}

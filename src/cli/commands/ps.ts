import { Args, Flags } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';
import { psJson, psTable } from '../render/ps-format.js';

/** `berth ps`: the stack's containers. */
export default class Ps extends ProjectCommand {
  static override summary = 'List containers';
  static override examples = [
    '<%= config.bin %> ps',
    '<%= config.bin %> ps -a --format json',
    '<%= config.bin %> ps -q web',
  ];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    all: Flags.boolean({ char: 'a', description: 'Show all containers, stopped ones too' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only IDs' }),
    services: Flags.boolean({ description: 'Only service names' }),
    status: Flags.string({
      description: 'Filter by status (repeatable)',
      multiple: true,
      options: ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'],
    }),
    format: Flags.string({ description: 'Output format', options: ['table', 'json'], default: 'table' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Ps);
    const project = await this.openProject(flags, true, argv as string[]);
    try {
      const containers = await project.ps({
        all: flags.all,
        services: argv as string[],
        status: flags.status,
      });
      if (flags.quiet) for (const c of containers) this.log(c.id);
      else if (flags.services) for (const s of new Set(containers.map((c) => c.service))) this.log(s);
      else if (flags.format === 'json') for (const c of containers) this.log(psJson(c, Date.now()));
      else this.log(psTable(containers, Date.now()));
    } finally {
      project.close();
    }
  }
}

import { Args, Flags } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';
import { parseScale } from './up.js';

/** `berth create`: create the stack's containers without starting them (`up --no-start`). */
export default class Create extends ProjectCommand {
  static override summary = 'Create containers for services';
  static override examples = ['<%= config.bin %> create', '<%= config.bin %> create --force-recreate web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    build: Flags.boolean({ description: 'Build images before creating containers', exclusive: ['no-build'] }),
    'no-build': Flags.boolean({ description: "Don't build an image, even if it's missing" }),
    pull: Flags.string({ description: 'Pull images', options: ['always', 'missing', 'never'] }),
    'force-recreate': Flags.boolean({
      description: 'Recreate containers even if unchanged',
      exclusive: ['no-recreate'],
    }),
    'no-recreate': Flags.boolean({ description: 'Do not recreate existing containers' }),
    'remove-orphans': Flags.boolean({ description: 'Remove containers of services not in the stack' }),
    scale: Flags.string({ description: 'SERVICE=NUM (repeatable)', multiple: true }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Create);
    await this.withProject(flags, false, argv as string[], (project, call) =>
      project.up({
        services: argv as string[],
        noStart: true,
        recreate: flags['force-recreate'] ? 'force' : flags['no-recreate'] ? 'never' : 'diverged',
        removeOrphans: flags['remove-orphans'],
        scale: parseScale(flags.scale ?? []),
        pull: flags.pull as 'always' | 'missing' | 'never' | undefined,
        build: flags.build ? 'always' : flags['no-build'] ? 'never' : 'missing',
        ...call,
      }),
    );
  }
}

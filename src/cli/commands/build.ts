import { Args, Flags } from '@oclif/core';
import { errors } from '../../errors/kinds.js';
import { ProjectCommand } from '../project-command.js';

/** `berth build`: build the images of services that have `build:`. */
export default class Build extends ProjectCommand {
  static override summary = 'Build or rebuild services';
  static override examples = [
    '<%= config.bin %> build',
    '<%= config.bin %> build --no-cache --build-arg VERSION=2 app',
  ];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    'no-cache': Flags.boolean({ description: 'Do not use cache when building the image' }),
    pull: Flags.boolean({ description: 'Always attempt to pull a newer version of the base image' }),
    'build-arg': Flags.string({
      description: 'Set a build-time variable KEY=VALUE (repeatable)',
      multiple: true,
    }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Build);
    const buildArgs: Record<string, string> = {};
    for (const a of flags['build-arg'] ?? []) {
      const i = a.indexOf('=');
      if (i <= 0 && !process.env[a]) throw errors.invalid(`--build-arg ${a}: expected KEY=VALUE`);
      if (i <= 0) buildArgs[a] = process.env[a] ?? '';
      else buildArgs[a.slice(0, i)] = a.slice(i + 1);
    }
    await this.images('build', flags, argv as string[], {
      noCache: flags['no-cache'],
      pull: flags.pull,
      buildArgs,
    });
  }
}

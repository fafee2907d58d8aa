import { Args } from '@oclif/core';
import { ProjectCommand } from '../project-command.js';

/** `berth pull`: pull service images, in parallel, with progress. */
export default class PullCommand extends ProjectCommand {
  static override summary = 'Pull service images';
  static override examples = ['<%= config.bin %> pull', '<%= config.bin %> pull web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = { ...ProjectCommand.globalFlags };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(PullCommand);
    const project = await this.openProject(flags);
    const progress = this.progress(flags);
    try {
      await project
        .images('pull', {
          services: argv as string[],
          parallel: this.parallel(flags),
          signal: this.interruptSignal(),
          onEvent: progress.onEvent,
        })
        .finally(() => progress.finish());
    } finally {
      project.close();
    }
  }
}

import { Flags } from '@oclif/core';
import { renderPlan } from '../../reconcile/plan.js';
import { ProjectCommand } from '../project-command.js';

/** `berth down`: stop and remove the stack's containers and networks. */
export default class Down extends ProjectCommand {
  static override summary = 'Stop and remove containers, networks';
  static override examples = [
    '<%= config.bin %> down',
    '<%= config.bin %> down -v --rmi local',
    '<%= config.bin %> down -p myapp',
  ];
  static override flags = {
    ...ProjectCommand.globalFlags,
    volumes: Flags.boolean({
      char: 'v',
      description: 'Remove named volumes declared in the stack and anonymous volumes',
    }),
    rmi: Flags.string({ description: 'Remove images used by services', options: ['local', 'all'] }),
    'remove-orphans': Flags.boolean({ description: 'Remove containers of services not in the stack' }),
    timeout: Flags.integer({ char: 't', description: 'Shutdown timeout in seconds' }),
    'dry-run': Flags.boolean({ description: 'Print the plan; change nothing' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Down);
    const project = await this.openProject(flags, true);
    const progress = this.progress(flags);
    try {
      const plan = await project
        .down({
          volumes: flags.volumes,
          rmi: flags.rmi as 'local' | 'all' | undefined,
          removeOrphans: flags['remove-orphans'],
          timeout: flags.timeout,
          dryRun: flags['dry-run'],
          parallel: this.parallel(flags),
          signal: this.interruptSignal(),
          onEvent: progress.onEvent,
        })
        .finally(() => progress.finish());
      if (flags['dry-run']) process.stdout.write(renderPlan(plan));
    } finally {
      project.close();
    }
  }
}

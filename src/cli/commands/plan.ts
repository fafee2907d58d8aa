import { Args, Flags } from '@oclif/core';
import { OperationType, renderPlan, renderPlanDiff } from '../../reconcile/plan.js';
import { ProjectCommand } from '../project-command.js';
import { parseScale } from './up.js';

/** `berth plan`: what `up` would do and why, with no side effect at all. */
export default class PlanCommand extends ProjectCommand {
  static override summary = 'Show what `up` would change, and why';
  static override description =
    'Observes the engine once and prints the plan `up` would execute: one line per engine call with the nodes it waits for and its cause (for a recreate, the fields of the configuration that changed). Nothing is pulled, built, created or changed.';
  static override examples = ['<%= config.bin %> plan', '<%= config.bin %> plan --format json web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    format: Flags.string({ description: 'Output format', options: ['text', 'json'], default: 'text' }),
    'force-recreate': Flags.boolean({ description: 'Plan as with up --force-recreate' }),
    'no-recreate': Flags.boolean({ description: 'Plan as with up --no-recreate' }),
    'no-deps': Flags.boolean({ description: 'Plan as with up --no-deps' }),
    'remove-orphans': Flags.boolean({ description: 'Plan as with up --remove-orphans' }),
    scale: Flags.string({ description: 'SERVICE=NUM (repeatable)', multiple: true }),
    pull: Flags.string({ description: 'Plan as with up --pull', options: ['always', 'missing', 'never'] }),
    build: Flags.boolean({ description: 'Plan as with up --build' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(PlanCommand);
    const project = await this.openProject(flags, false, argv as string[]);
    try {
      const plan = await project.plan({
        services: argv as string[],
        noDeps: flags['no-deps'],
        recreate: flags['force-recreate'] ? 'force' : flags['no-recreate'] ? 'never' : 'diverged',
        removeOrphans: flags['remove-orphans'],
        scale: parseScale(flags.scale ?? []),
        pull: flags.pull as 'always' | 'missing' | 'never' | undefined,
        build: flags.build ? 'always' : 'missing',
      });
      if (flags.format === 'json') {
        const nodes = plan.nodes.map((n) => ({
          id: n.id,
          dependsOn: n.dependsOn,
          type: OperationType[n.operation.type],
          resource: n.operation.resource,
          service: n.operation.service,
          cause: n.operation.cause,
          diff: n.operation.type === OperationType.CreateContainer ? n.operation.diff : undefined,
        }));
        this.log(JSON.stringify({ nodes, warnings: plan.warnings }, null, 2));
      } else {
        const diff = renderPlanDiff(plan);
        process.stdout.write(renderPlan(plan) || 'Nothing to do: the stack is up to date.\n');
        if (diff) process.stdout.write(`\nChanged configuration:\n${diff}`);
      }
    } finally {
      project.close();
    }
  }
}

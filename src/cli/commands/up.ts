import { Args, Flags } from '@oclif/core';
import { errors } from '../../errors/kinds.js';
import { runAttached, stopInterruptedUp } from '../../project/attached.js';
import { renderPlan } from '../../reconcile/plan.js';
import { ProjectCommand } from '../project-command.js';
import { logFormatter } from '../render/logs-format.js';
import { colorsEnabled } from '../render/progress-format.js';

/** `berth up`: create and start the stack's containers, converging from what exists. */
export default class Up extends ProjectCommand {
  static override summary = 'Create and start containers';
  static override description =
    'Plans what must change (see `berth plan`) and applies it: pulls or builds missing images, creates networks and volumes, creates, recreates and starts containers in dependency order, waiting for depends_on conditions. Attached by default: streams logs and stops the stack on Ctrl-C.';
  static override examples = [
    '<%= config.bin %> up -d',
    '<%= config.bin %> up --wait web',
    '<%= config.bin %> up --scale web=3 -d',
  ];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services to bring up (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    detach: Flags.boolean({ char: 'd', description: 'Run in the background' }),
    build: Flags.boolean({ description: 'Build images before starting', exclusive: ['no-build'] }),
    'no-build': Flags.boolean({ description: 'Do not build missing images' }),
    pull: Flags.string({ description: 'Pull images', options: ['always', 'missing', 'never'] }),
    'force-recreate': Flags.boolean({
      description: 'Recreate containers even if unchanged',
      exclusive: ['no-recreate'],
    }),
    'no-recreate': Flags.boolean({ description: 'Do not recreate existing containers' }),
    'no-deps': Flags.boolean({ description: 'Do not start linked services' }),
    'no-start': Flags.boolean({ description: 'Create but do not start' }),
    scale: Flags.string({ description: 'Scale a service: SERVICE=NUM (repeatable)', multiple: true }),
    wait: Flags.boolean({ description: 'Wait for services to be running and healthy (implies -d)' }),
    'wait-timeout': Flags.integer({ description: 'Seconds to wait with --wait' }),
    'remove-orphans': Flags.boolean({ description: 'Remove containers of services not in the stack' }),
    'abort-on-container-exit': Flags.boolean({ description: 'Stop all containers if any stops' }),
    'exit-code-from': Flags.string({
      description: 'Return the exit code of this service (implies --abort-on-container-exit)',
    }),
    timeout: Flags.integer({ char: 't', description: 'Shutdown timeout in seconds' }),
    'dry-run': Flags.boolean({ description: 'Print the plan; change nothing' }),
    'no-color': Flags.boolean({ description: 'Monochrome output' }),
    'no-log-prefix': Flags.boolean({ description: 'Do not prefix log lines' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Up);
    const services = argv as string[];
    const project = await this.openProject(flags, false, services);
    const signal = this.interruptSignal();
    const progress = this.progress(flags);
    const attached = !(flags.detach || flags.wait || flags['no-start'] || flags['dry-run']);
    try {
      const result = await project
        .up({
          services,
          noDeps: flags['no-deps'],
          recreate: flags['force-recreate'] ? 'force' : flags['no-recreate'] ? 'never' : 'diverged',
          noStart: flags['no-start'],
          removeOrphans: flags['remove-orphans'],
          scale: parseScale(flags.scale ?? []),
          pull: flags.pull as 'always' | 'missing' | 'never' | undefined,
          build: flags.build ? 'always' : flags['no-build'] ? 'never' : 'missing',
          timeout: flags.timeout,
          wait: flags.wait,
          waitTimeoutMs: flags['wait-timeout'] === undefined ? undefined : flags['wait-timeout'] * 1000,
          dryRun: flags['dry-run'],
          parallel: this.parallel(flags),
          signal,
          onEvent: progress.onEvent,
        })
        .finally(() => progress.finish())
        .catch((err) => {
          // Ctrl-C before everything started: attached, the stack is stopped as after it started.
          if (attached && signal.aborted) return undefined;
          throw err;
        });
      if (!result) {
        process.exitCode = await stopInterruptedUp(project, { signal, services, timeout: flags.timeout });
        return;
      }
      if (flags['dry-run']) {
        process.stdout.write(result.plans.map(renderPlan).join(''));
        return;
      }
      if (!attached) return;
      const width = Math.max(0, ...(await project.ps({ services })).map((c) => c.name.length));
      const format = logFormatter({
        color: !flags['no-color'] && colorsEnabled(process.stdout),
        prefix: !flags['no-log-prefix'],
        width,
      });
      const code = await runAttached(project, {
        signal,
        services,
        abortOnExit: flags['abort-on-container-exit'],
        exitCodeFrom: flags['exit-code-from'],
        timeout: flags.timeout,
        onLine: (line) => process.stdout.write(`${format(line)}\n`),
      });
      process.exitCode = code;
    } finally {
      project.close();
    }
  }
}

/** `web=3` entries to a map; a malformed one is bad input. */
export function parseScale(entries: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const m = /^([^=]+)=(\d+)$/.exec(e);
    if (!m) throw errors.invalid(`--scale ${e}: expected SERVICE=NUMBER`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

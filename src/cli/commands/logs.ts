import { Args, Flags } from '@oclif/core';
import { sinceTimestamp } from '../../project/log-since.js';
import { ProjectCommand } from '../project-command.js';
import { logFormatter } from '../render/logs-format.js';
import { colorsEnabled } from '../render/progress-format.js';

/** `berth logs`: the services' output; with `-f`, a restarted container is followed again. */
export default class Logs extends ProjectCommand {
  static override summary = 'View output from containers';
  static override examples = [
    '<%= config.bin %> logs -f web',
    '<%= config.bin %> logs --tail 20 --no-log-prefix',
  ];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlagsOwnF,
    follow: Flags.boolean({ char: 'f', description: 'Follow log output' }),
    tail: Flags.string({ char: 'n', description: 'Number of lines from the end, or "all"', default: 'all' }),
    timestamps: Flags.boolean({ char: 't', description: 'Show timestamps' }),
    since: Flags.string({ description: 'Since a timestamp (2013-01-02T13:23:37Z) or relative (42m)' }),
    'no-color': Flags.boolean({ description: 'Monochrome output' }),
    'no-log-prefix': Flags.boolean({ description: 'Do not prefix lines with the container name' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Logs);
    const services = argv as string[];
    const since = flags.since === undefined ? undefined : sinceTimestamp(flags.since, Date.now());
    const project = await this.openProject(flags, true, services);
    try {
      const width = Math.max(0, ...(await project.ps({ all: true, services })).map((c) => c.name.length));
      const format = logFormatter({
        color: !flags['no-color'] && colorsEnabled(process.stdout),
        prefix: !flags['no-log-prefix'],
        width,
      });
      const tail = flags.tail === 'all' ? 'all' : Number(flags.tail);
      const signal = this.interruptSignal();
      for await (const line of project.logs({
        services,
        follow: flags.follow,
        tail: Number.isNaN(tail) ? 'all' : tail,
        since,
        timestamps: flags.timestamps,
        signal,
      })) {
        process.stdout.write(`${format(line)}\n`);
      }
    } finally {
      project.close();
    }
  }
}

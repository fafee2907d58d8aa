import { Flags } from '@oclif/core';
import { listProjects } from '../../project/queries.js';
import { ProjectCommand } from '../project-command.js';
import { textTable } from '../render/ps-format.js';

/** `berth ls`: every Compose project on the engine (berth's and docker compose's alike). */
export default class Ls extends ProjectCommand {
  static override summary = 'List running compose projects';
  static override examples = ['<%= config.bin %> ls', '<%= config.bin %> ls -a --format json'];
  static override flags = {
    // Global flags are accepted (`berth -p x ls`) as Compose does; the project ones are ignored here.
    ...ProjectCommand.globalFlags,
    all: Flags.boolean({ char: 'a', description: 'Show all stopped projects too' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only display project names' }),
    format: Flags.string({ description: 'Output format', options: ['table', 'json'], default: 'table' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Ls);
    const engine = await this.connect(flags);
    try {
      const projects = await listProjects(engine, flags.all);
      if (flags.quiet) for (const p of projects) this.log(p.name);
      else if (flags.format === 'json') {
        this.log(
          JSON.stringify(
            projects.map((p) => ({ Name: p.name, Status: p.status, ConfigFiles: p.configFiles })),
          ),
        );
      } else
        this.log(
          textTable(
            ['NAME', 'STATUS', 'CONFIG FILES'],
            projects.map((p) => [p.name, p.status, p.configFiles]),
          ),
        );
    } finally {
      engine.close();
    }
  }
}

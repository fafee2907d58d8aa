import { Args, Flags } from '@oclif/core';
import { projectEvents } from '../../project/events.js';
import { ProjectCommand } from '../project-command.js';

/** `berth events`: the project's container events as they happen. */
export default class Events extends ProjectCommand {
  static override summary = 'Receive real time events from containers';
  static override examples = ['<%= config.bin %> events', '<%= config.bin %> events --json web'];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'Services (default: all)', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    json: Flags.boolean({ description: 'Output events as a stream of JSON objects' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Events);
    const project = await this.openProject(flags, true, argv as string[]);
    try {
      for await (const e of projectEvents(
        project.engine,
        project.name,
        argv as string[],
        this.interruptSignal(),
      )) {
        if (flags.json) this.log(JSON.stringify(e));
        else {
          const attrs = Object.entries(e.attributes).map(([k, v]) => `${k}=${v}`);
          this.log(`${e.time} ${e.type} ${e.action} ${e.id} (${attrs.join(', ')})`);
        }
      }
    } finally {
      project.close();
    }
  }
}

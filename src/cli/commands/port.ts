import { Args, Flags } from '@oclif/core';
import { publishedPort } from '../../project/queries.js';
import { ProjectCommand } from '../project-command.js';

/** `berth port`: the public address of a service's port. */
export default class Port extends ProjectCommand {
  static override summary = 'Print the public port for a port binding';
  static override examples = ['<%= config.bin %> port web 80'];
  static override args = {
    service: Args.string({ required: true, description: 'Service', ignoreStdin: true }),
    port: Args.integer({ required: true, description: 'Container port', ignoreStdin: true }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    protocol: Flags.string({ description: 'tcp or udp', options: ['tcp', 'udp', 'sctp'], default: 'tcp' }),
    index: Flags.integer({ description: 'Index of the container if the service has several', default: 1 }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Port);
    const project = await this.openProject(flags, true, [args.service]);
    try {
      const { service, port } = args;
      this.log(await publishedPort(project.engine, project.name, { service, port, ...flags }));
    } finally {
      project.close();
    }
  }
}

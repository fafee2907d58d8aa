import { Args, Flags } from '@oclif/core';
import { copyFiles, parseCopyEndpoint } from '../../project/copy.js';
import { ProjectCommand } from '../project-command.js';

/** `berth cp`: copy files between a service container and the host. */
export default class Cp extends ProjectCommand {
  static override summary = 'Copy files/folders between a service container and the local filesystem';
  static override examples = [
    '<%= config.bin %> cp web:/etc/hosts ./hosts',
    '<%= config.bin %> cp ./conf web:/etc/app/',
  ];
  static override args = {
    source: Args.string({ required: true, description: 'SERVICE:SRC_PATH or SRC_PATH', ignoreStdin: true }),
    destination: Args.string({
      required: true,
      description: 'DEST_PATH or SERVICE:DEST_PATH',
      ignoreStdin: true,
    }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    index: Flags.integer({ description: 'Index of the container if the service has several', default: 1 }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Cp);
    const from = parseCopyEndpoint(args.source);
    const to = parseCopyEndpoint(args.destination);
    const services = [from, to].flatMap((e) => ('service' in e ? [e.service] : []));
    const project = await this.openProject(flags, true, services);
    try {
      await copyFiles(project.engine, project.name, from, to, flags.index);
    } finally {
      project.close();
    }
  }
}

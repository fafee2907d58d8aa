import { Args, Flags } from '@oclif/core';
import { errors } from '../../errors/kinds.js';
import type { ServicePort } from '../../model/project.js';
import { ProjectCommand } from '../project-command.js';

/** `berth run`: a one-off container of a service, labelled as such. */
export default class Run extends ProjectCommand {
  static override summary = 'Run a one-off command on a service';
  static override examples = [
    '<%= config.bin %> run --rm web sh -c "env"',
    '<%= config.bin %> run -d --no-deps worker',
  ];
  static override strict = false;
  static override args = {
    service: Args.string({ required: true, description: 'Service', ignoreStdin: true }),
    command: Args.string({
      description: 'Command and arguments (default: the service command)',
      ignoreStdin: true,
    }),
  };
  static override flags = {
    ...ProjectCommand.globalFlags,
    // `-p` means --publish here, as in Compose; a `-p` before the command already arrives as --project-name.
    'project-name': Flags.string({ description: 'Project name' }),
    rm: Flags.boolean({ description: 'Remove the container when it exits' }),
    detach: Flags.boolean({ char: 'd', description: 'Run in the background and print the container name' }),
    env: Flags.string({
      char: 'e',
      description: 'Set an environment variable KEY=VALUE (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    entrypoint: Flags.string({ description: 'Override the entrypoint' }),
    publish: Flags.string({
      char: 'p',
      description: 'Publish a port [ip:]host:container (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'service-ports': Flags.boolean({ description: "Publish the service's ports" }),
    name: Flags.string({ description: 'Container name' }),
    workdir: Flags.string({ char: 'w', description: 'Working directory' }),
    user: Flags.string({ char: 'u', description: 'Run as this user' }),
    'no-deps': Flags.boolean({ description: 'Do not start linked services' }),
    'no-TTY': Flags.boolean({ char: 'T', description: 'Disable pseudo-TTY allocation' }),
  };

  async run(): Promise<void> {
    const [own, command] = this.splitCommand(Run.flags);
    const { flags, argv } = await this.parse(Run, own);
    const [service] = argv as string[];
    const project = await this.openProject(flags, false, [service]);
    const tty = !flags['no-TTY'] && !flags.detach && process.stdin.isTTY === true;
    const progress = this.progress(flags);
    try {
      const result = await project.run(
        {
          service,
          command,
          entrypoint: flags.entrypoint === undefined ? undefined : [flags.entrypoint],
          env: Object.fromEntries((flags.env ?? []).map(splitEnv)),
          publish: (flags.publish ?? []).map(parsePublish),
          servicePorts: flags['service-ports'],
          name: flags.name,
          workdir: flags.workdir,
          user: flags.user,
          rm: flags.rm,
          detach: flags.detach,
          noDeps: flags['no-deps'],
          tty,
          interactive: !flags.detach && (tty || !process.stdin.isTTY),
          signal: this.interruptSignal(),
          onEvent: progress.onEvent,
          onPrepared: () => progress.finish(),
          parallel: this.parallel(flags),
        },
        process,
      );
      if (flags.detach) this.log(result.name);
      process.exitCode = result.exitCode;
    } finally {
      project.close();
    }
  }
}

function splitEnv(entry: string): [string, string] {
  const i = entry.indexOf('=');
  return i < 0 ? [entry, process.env[entry] ?? ''] : [entry.slice(0, i), entry.slice(i + 1)];
}

/** `8080:80`, `127.0.0.1:8080:80/udp`, `127.0.0.1::80`, `[::1]:8080:80`, `80` → a published port. */
export function parsePublish(spec: string): ServicePort {
  const bad = () => errors.invalid(`--publish ${spec}: expected [ip:]host:container[/protocol]`);
  const [addr, protocol = 'tcp'] = spec.split('/');
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw bad();
  let ip: string | undefined;
  let rest = addr;
  if (addr.startsWith('[')) {
    const end = addr.indexOf(']:');
    if (end < 0) throw bad();
    ip = addr.slice(1, end);
    rest = addr.slice(end + 2);
  }
  const parts = rest.split(':');
  if (ip === undefined && parts.length === 3) ip = parts.shift();
  if (parts.length > 2 || (ip !== undefined && parts.length !== 2)) throw bad();
  const [published, target] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (!/^\d+$/.test(target) || (published && !/^\d+(-\d+)?$/.test(published))) throw bad();
  const port: ServicePort = {
    target: Number(target),
    protocol: protocol as ServicePort['protocol'],
    mode: 'ingress',
  };
  if (published) port.published = published;
  if (ip) port.host_ip = ip;
  return port;
}

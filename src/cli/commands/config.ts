import { Flags } from '@oclif/core';
import { loadProject, loadTree } from '../../loader/load-project.js';
import type { LoadOptions } from '../../loader/options.js';
import { validateSchema } from '../../loader/validate-schema.js';
import { BerthCommand } from '../base-command.js';
import { type ConfigListing, listProject, renderDocument, renderProject } from '../render/config-format.js';

/** The global project flags as parsed by oclif. */
export interface ProjectFlagValues {
  file?: string[];
  'project-name'?: string;
  'project-directory'?: string;
  profile?: string[];
  'env-file'?: string[];
}

/** Global project flags to loader options; warnings go to standard error. */
export function projectLoadOptions(flags: ProjectFlagValues): LoadOptions {
  return {
    files: flags.file,
    projectName: flags['project-name'],
    projectDirectory: flags['project-directory'],
    profiles: flags.profile,
    envFiles: flags['env-file'],
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  };
}

const LISTINGS: ConfigListing[] = ['services', 'volumes', 'networks', 'profiles', 'images'];

/** A listing flag; at most one can be given. */
function listing(name: ConfigListing, description: string) {
  return Flags.boolean({ description, exclusive: LISTINGS.filter((l) => l !== name) });
}

/** `berth config`: the stack as berth understands it, canonical and re-loadable. */
export default class Config extends BerthCommand {
  static override summary = 'Validate the stack file and print it in canonical form';
  static override description =
    'Loads the stack files (with .env, include, extends, merge and profiles), validates them and prints the normalized model with sorted keys. The output loads again to the same model.';
  static override examples = [
    '<%= config.bin %> config',
    '<%= config.bin %> config --format json',
    '<%= config.bin %> config --services',
    '<%= config.bin %> config -q -f compose.yaml -f compose.prod.yaml',
  ];

  static override flags = {
    ...BerthCommand.projectFlags,
    format: Flags.string({ description: 'Output format', options: ['yaml', 'json'], default: 'yaml' }),
    services: listing('services', 'Print the active service names, one per line'),
    volumes: listing('volumes', 'Print the volume names, one per line'),
    networks: listing('networks', 'Print the network names, one per line'),
    profiles: listing('profiles', 'Print the profiles the services use, one per line'),
    images: listing('images', 'Print the image of each active service, one per line'),
    quiet: Flags.boolean({ char: 'q', description: 'Only validate; print nothing' }),
    'no-interpolate': Flags.boolean({ description: 'Print the merged file with variables left as written' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Config);
    const options = projectLoadOptions(flags);
    const format = flags.format === 'json' ? 'json' : 'yaml';
    if (flags['no-interpolate']) {
      // Unresolved `${VAR}`s cannot be normalized; show the validated, merged file instead.
      const { tree, positions } = await loadTree({ ...options, interpolate: false });
      validateSchema(tree, positions);
      if (!flags.quiet) process.stdout.write(renderDocument(tree, format, false));
      return;
    }
    const project = await loadProject(options);
    if (flags.quiet) return;
    const listing = LISTINGS.find((l) => flags[l]);
    if (listing) {
      const lines = listProject(project, listing);
      process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
      return;
    }
    process.stdout.write(renderProject(project, format));
  }
}

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { BerthError } from '../../errors/kinds.js';
import { loadProject, loadTree } from '../../loader/load-project.js';
import type { LoadOptions } from '../../loader/options.js';
import { validateSchema } from '../../loader/validate-schema.js';
import { BerthCommand } from '../base-command.js';
import type { ConfigListing } from '../render/config-format.js';

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

const LISTINGS: ConfigListing[] = ['services', 'volumes', 'networks', 'profiles', 'images', 'environment'];

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
    environment: listing(
      'environment',
      'Print the variables used for interpolation, KEY=value, one per line',
    ),
    quiet: Flags.boolean({ char: 'q', description: 'Only validate; print nothing' }),
    output: Flags.string({
      char: 'o',
      description: 'Write the output to this file instead of standard output',
    }),
    'no-interpolate': Flags.boolean({ description: 'Print the merged file with variables left as written' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Config);
    const options = projectLoadOptions(flags);
    const format = flags.format === 'json' ? 'json' : 'yaml';
    let text: string;
    if (flags['no-interpolate']) {
      // Unresolved `${VAR}`s cannot be normalized; show the validated, merged file instead.
      const { tree, positions } = await loadTree({ ...options, interpolate: false });
      validateSchema(tree, positions);
      if (flags.quiet) return;
      const { renderDocument } = await loadRenderer();
      text = renderDocument(tree, format, false);
    } else {
      const project = await loadProject(options);
      if (flags.quiet) return;
      const { listProject, renderProject } = await loadRenderer();
      const listing = LISTINGS.find((l) => flags[l]);
      text = listing
        ? listProject(project, listing)
            .map((line) => `${line}\n`)
            .join('')
        : renderProject(project, format);
    }
    if (flags.output) writeOutputFile(flags.output, text);
    else process.stdout.write(text);
  }
}

/**
 * The renderer, loaded only when there is something to print: it brings the `yaml` library,
 * whose load `config -q` (validate only) would pay for nothing.
 */
function loadRenderer(): Promise<typeof import('../render/config-format.js')> {
  return import('../render/config-format.js');
}

/** Writes `text` to `path` whole or not at all (temporary file, then rename). */
function writeOutputFile(path: string, text: string): void {
  const target = resolve(path);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, target);
  } catch (err) {
    rmSync(temporary, { force: true });
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new BerthError('invalid', `cannot write the output file: ${reason}`, { location: path });
  }
}

import { Command, Flags } from '@oclif/core';
import { renderError } from './render-error.js';

/**
 * The base of every berth command. Commands stay thin: flags to options, one call, render.
 * Errors are never caught in commands; they reach `catch` here and are rendered in one place.
 */
export abstract class BerthCommand extends Command {
  /**
   * Flags every Compose-style command accepts. Repeatable flags take one value per occurrence
   * (`-f a.yaml -f b.yaml up web`): oclif's default would swallow the service names after them.
   */
  static projectFlags = {
    file: Flags.string({
      char: 'f',
      description: 'Compose file (repeatable, - for stdin)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'project-name': Flags.string({ char: 'p', description: 'Project name' }),
    'project-directory': Flags.string({ description: 'Alternate working directory' }),
    profile: Flags.string({
      description: 'Activate a profile (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'env-file': Flags.string({
      description: 'Alternate environment file (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
  };

  protected override async catch(err: Error & { exitCode?: number }): Promise<void> {
    const { text, exitCode } = renderError(err);
    if (text) process.stderr.write(`${text}\n`);
    process.exitCode = exitCode;
  }
}

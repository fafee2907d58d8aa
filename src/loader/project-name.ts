import { basename } from 'node:path';
import { BerthError } from '../errors/kinds.js';

const VALID_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Where the project name may come from, in order of precedence. */
export interface ProjectNameSources {
  /** `-p/--project-name`. */
  flag?: string;
  /** `COMPOSE_PROJECT_NAME` (process environment, then `.env`). */
  environment?: string;
  /** Top-level `name:` of the merged stack, interpolated, with where it was written. */
  fromFile?: { value: unknown; location?: string };
  /** The project directory, whose basename is the fallback. */
  workingDir: string;
}

/**
 * The project name as Compose chooses it: `-p` > `COMPOSE_PROJECT_NAME` > `name:` > directory
 * basename. A name given explicitly must already be valid (lowercase letters, digits, `-`, `_`,
 * starting with a letter or digit); the directory basename is normalized into that form.
 */
export function resolveProjectName(sources: ProjectNameSources): string {
  if (sources.flag) return checked(sources.flag, '-p/--project-name');
  if (sources.environment) return checked(sources.environment, 'COMPOSE_PROJECT_NAME');
  const fromFile = sources.fromFile?.value;
  if (fromFile !== undefined && fromFile !== null && fromFile !== '') {
    if (typeof fromFile !== 'string') {
      throw new BerthError('invalid', 'the project name must be a string', {
        location: sources.fromFile?.location,
        path: 'name',
      });
    }
    return checked(fromFile, 'the top-level "name"', sources.fromFile?.location);
  }
  const derived = normalizeProjectName(basename(sources.workingDir));
  if (!derived) {
    throw new BerthError(
      'invalid',
      `cannot derive a project name from the directory "${sources.workingDir}"; set one with -p or name:`,
      { location: sources.workingDir },
    );
  }
  return derived;
}

/** Lowercases and keeps only `[a-z0-9_-]`, without leading `_` or `-`, as Compose does. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

function checked(name: string, source: string, location?: string): string {
  if (VALID_NAME.test(name)) return name;
  throw new BerthError(
    'invalid',
    `invalid project name "${name}" (from ${source}): use lowercase letters, digits, "-" and "_", starting with a letter or digit`,
    location ? { location, path: 'name' } : {},
  );
}

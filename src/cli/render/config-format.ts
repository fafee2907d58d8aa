import { stringify } from 'yaml';
import type { Project } from '../../model/project.js';
import { projectToCompose } from '../../model/to-compose.js';

/** The output formats of `berth config`. */
export type ConfigFormat = 'yaml' | 'json';

/** What `berth config` can list instead of the whole document. */
export type ConfigListing = 'services' | 'volumes' | 'networks' | 'profiles' | 'images' | 'environment';

/**
 * Renders a Compose document deterministically: mapping keys sorted at every level, list order
 * kept. With `escapeDollars`, every `$` in a string value is doubled, so that loading the output again
 * does not interpolate values that were already interpolated.
 */
export function renderDocument(doc: unknown, format: ConfigFormat, escapeDollars: boolean): string {
  const canonical = canonicalize(doc, escapeDollars);
  if (format === 'json') return `${JSON.stringify(canonical, null, 2)}\n`;
  // YAML 1.1 quoting ("yes", "on", "0644") so that 1.1 readers such as docker-compose 1.x read strings as strings.
  return stringify(canonical, { aliasDuplicateObjects: false, lineWidth: 0, version: '1.1' });
}

/** `berth config` of a normalized project. */
export function renderProject(project: Project, format: ConfigFormat): string {
  return renderDocument(projectToCompose(project), format, true);
}

/** The lines `berth config --services` (and the other listing flags) print. */
export function listProject(project: Project, what: ConfigListing): string[] {
  switch (what) {
    case 'services':
      return Object.keys(project.services).sort();
    case 'volumes':
      return Object.keys(project.volumes).sort();
    case 'networks':
      return Object.keys(project.networks).sort();
    case 'profiles': {
      const all = [...Object.values(project.services), ...Object.values(project.disabled_services)];
      return [...new Set(all.flatMap((s) => s.profiles))].sort();
    }
    case 'environment':
      return Object.keys(project.environment)
        .sort()
        .map((k) => `${k}=${project.environment[k]}`);
    case 'images':
      // A service that is only built gets Compose's default image name.
      return Object.values(project.services)
        .map((s) => s.image ?? `${project.name}-${s.name}`)
        .sort();
  }
}

function canonicalize(value: unknown, escapeDollars: boolean): unknown {
  if (typeof value === 'string') return escapeDollars ? value.replaceAll('$', '$$$$') : value;
  if (Array.isArray(value)) return value.map((v) => canonicalize(v, escapeDollars));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = canonicalize((value as Record<string, unknown>)[key], escapeDollars);
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

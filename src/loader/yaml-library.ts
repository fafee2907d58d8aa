import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/**
 * The `yaml` library, loaded on first use rather than at start-up: most stack files never need
 * it (they take the plain-yaml/ fast path), and loading it costs more than reading them.
 */
export function yamlLibrary(): typeof Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return loaded;
}

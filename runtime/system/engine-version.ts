import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * berth's package version, which the engine reports as its own (`/version`, `Server` header).
 * Found by walking up from this module, so it works from runtime/ (tests) and dist/runtime/.
 */
export const ENGINE_VERSION: string = findPackageVersion(dirname(fileURLToPath(import.meta.url)));

function findPackageVersion(start: string): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'berth' && pkg.version) return pkg.version;
    } catch {
      // not here: keep walking up
    }
    dir = dirname(dir);
  }
  return '0.0.0-dev';
}

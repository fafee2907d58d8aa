import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The client is berth's own: built on Node's http/https/net, with no dockerode or docker-modem
 * and no `docker` binary underneath. The only process it may start is a credential helper
 * (`docker-credential-<name>`), as the docker CLI does for `credsStore`/`credHelpers`.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const clientDir = join(root, 'src/client');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the Engine API client’s dependencies', () => {
  it('imports only Node built-ins, its own modules and berth’s error kinds', () => {
    const imports = new Set<string>();
    for (const file of sources(clientDir)) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/\bfrom '([^']+)'/g)) {
        if (spec!.startsWith('node:')) continue;
        if (spec!.startsWith('.')) {
          const target = relative(root, join(file, '..', spec!));
          if (target.startsWith('src/client/') || target === 'src/errors/kinds.js') continue;
        }
        imports.add(`${relative(root, file)} -> ${spec}`);
      }
    }
    expect([...imports]).toEqual([]);
  });

  it('has no dockerode or docker-modem in the package', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    const deps = { ...(pkg.dependencies as object), ...(pkg.devDependencies as object) };
    expect(Object.keys(deps).filter((d) => /dockerode|docker-modem/.test(d))).toEqual([]);
  });

  it('starts no process but a credential helper', () => {
    const spawning = sources(clientDir).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return /child_process/.test(text) ? [relative(root, file)] : [];
    });
    expect(spawning).toEqual(['src/client/registry-auth.ts']);
    const helper = readFileSync(join(clientDir, 'registry-auth.ts'), 'utf8');
    const programs = [...helper.matchAll(/execFile\(([^,]+),/g)].map((m) => m[1]);
    expect(programs).toHaveLength(1);
    expect(programs[0]).toMatch(/^`docker-credential-\$\{\w+\}`$/);
  });
});

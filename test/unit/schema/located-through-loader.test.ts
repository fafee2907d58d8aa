import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatError } from '../../../src/cli/render-error.js';
import { isBerthError } from '../../../src/errors/kinds.js';
import { loadProject } from '../../../src/loader/load-project.js';

// Problems found by stages 5 to 7 point into the file the offending value came from, after
// files were merged.
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function failure(files: Record<string, string>): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'berth-schema-located-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  try {
    await loadProject({ cwd: dir, env: {}, stdin: async () => '' });
  } catch (err) {
    if (isBerthError(err)) return formatError(err).replaceAll(`${dir}/`, '');
    throw err;
  }
  throw new Error('expected a failure');
}

describe('problems located across merged files', () => {
  it('points a schema problem at the override file', async () => {
    const text = await failure({
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n',
      'compose.override.yaml': 'services:\n  web:\n    tty: [yes]\n    healthcheck:\n      interval: 5\n',
    });
    expect(text).toBe(
      [
        'invalid stack file (2 problems):',
        'compose.override.yaml:3:5 services.web.tty: must be a boolean or string',
        'compose.override.yaml:5:17 services.web.healthcheck.interval: must be a string',
      ].join('\n'),
    );
  });

  it('points a reference problem and a cycle at their files', async () => {
    expect(
      await failure({
        'compose.yaml': 'services:\n  web:\n    image: nginx\n',
        'compose.override.yaml': 'services:\n  web:\n    networks: [back]\n',
      }),
    ).toBe('compose.override.yaml:3:16 services.web.networks[0]: refers to undefined network "back"');
    expect(
      await failure({
        'compose.yaml': 'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n',
        'compose.override.yaml': 'services:\n  b:\n    depends_on: [a]\n',
      }),
    ).toBe('compose.yaml:4:18 services.a.depends_on.b: dependency cycle: a -> b -> a');
  });
});

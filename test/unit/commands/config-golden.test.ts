import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderProject } from '../../../src/cli/render/config-format.js';
import { formatError } from '../../../src/cli/render-error.js';
import { isBerthError } from '../../../src/errors/kinds.js';
import { loadProject } from '../../../src/loader/load-project.js';
import type { LoadOptions } from '../../../src/loader/options.js';
import { fixtureOptions, stackFixtures } from '../../fixtures/stacks/fixtures.js';

// Golden `berth config` output for every fixture of the corpus and every example: the YAML for a
// valid stack, the error text for an invalid one. Absolute paths are shown as <dir>.
// Regenerate with: BERTH_UPDATE=1 npx vitest run --config test/vitest.config.ts test/unit/commands/config-golden.test.ts
const GOLDEN = 'test/golden/config';

interface Case {
  name: string;
  dir: string;
  options: LoadOptions;
}

const cases: Case[] = [
  ...stackFixtures().map((f) => ({ name: f.name, dir: f.dir, options: fixtureOptions(f) })),
  ...readdirSync('examples', { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const dir = join(process.cwd(), 'examples', e.name);
      return { name: `example-${e.name}`, dir, options: { cwd: dir, env: {}, stdin: async () => '' } };
    }),
];

/** `berth config` for a case: the YAML it prints, or the error it reports. */
async function configOutput(c: Case): Promise<{ ok: boolean; text: string }> {
  try {
    return { ok: true, text: renderProject(await loadProject(c.options), 'yaml') };
  } catch (err) {
    if (!isBerthError(err)) throw err;
    return { ok: false, text: `${formatError(err)}\n` };
  }
}

function golden(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (process.env.BERTH_UPDATE) writeFileSync(path, actual);
  expect(existsSync(path), `${path} is missing; run with BERTH_UPDATE=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('berth config golden output', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { ok, text } = await configOutput(c);
    golden(`${c.name}.${ok ? 'yaml' : 'txt'}`, text.replaceAll(c.dir, '<dir>'));
  });

  it('has a golden file for every case and none left over', () => {
    const expected = new Set(cases.map((c) => c.name));
    for (const file of readdirSync(GOLDEN)) expect(expected).toContain(file.replace(/\.(yaml|txt)$/, ''));
  });
});

describe('berth config output loads again to the same output', () => {
  const valid = cases.filter((c) => !c.name.startsWith('invalid-'));
  it.each(valid.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const first = await configOutput(c);
    expect(first.ok).toBe(true);
    const again = await configOutput({
      ...c,
      options: { ...c.options, files: ['-'], stdin: async () => first.text, envFiles: [] },
    });
    expect(again.text).toBe(first.text);
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError } from '../../../src/cli/render-error.js';
import { isBerthError } from '../../../src/errors/kinds.js';
import { loadProject } from '../../../src/loader/load-project.js';
import type { LoadOptions } from '../../../src/loader/options.js';
import { parsePlainYaml } from '../../../src/loader/plain-yaml/parse-plain-yaml.js';
import { fixtureOptions, stackFixtures } from '../../fixtures/stacks/fixtures.js';
import { rejection, stackDir } from './stack-dir.js';

/**
 * The other direction of the plain-YAML parity test: whole stacks loaded with the fast path
 * (the default) and with `BERTH_YAML=library` end in the same project or the same message.
 */
type Outcome = { project: string } | { error: string };

async function outcome(options: LoadOptions, reader: 'auto' | 'library'): Promise<Outcome> {
  const env = { ...options.env, BERTH_YAML: reader };
  try {
    const project = await loadProject({ ...options, env });
    // The variable itself is the one thing that differs between the two loads.
    const { BERTH_YAML: _, ...environment } = project.environment;
    return { project: JSON.stringify({ ...project, environment }) };
  } catch (err) {
    if (!isBerthError(err)) throw err;
    return { error: formatError(err) };
  }
}

const examples = readdirSync('examples', { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e): [string, LoadOptions] => [
    `examples/${e.name}`,
    { cwd: join(process.cwd(), 'examples', e.name), env: {}, profiles: ['*'], stdin: async () => '' },
  ]);
const fixtures = stackFixtures().map((f): [string, LoadOptions] => [f.name, fixtureOptions(f)]);

describe('BERTH_YAML=library', () => {
  it.each([...examples, ...fixtures])('%s loads the same with either reader', async (_name, options) => {
    expect(await outcome(options, 'library')).toEqual(await outcome(options, 'auto'));
  });

  // Each is otherwise in the subset's shape; the fast path declines, so the library locates it.
  const located: Array<[string, string, string]> = [
    ['duplicate key', 'services:\n  a:\n    image: x\n  a:\n    image: y\n', 'compose.yaml:4:3'],
    ['tab indentation', 'services:\n\ta:\n    image: x\n', 'compose.yaml:2:1'],
    ['second document', 'services:\n  a:\n    image: x\n---\nservices: {}\n', 'compose.yaml:4:1'],
    ['unknown tag', 'services:\n  a:\n    image: !nope x\n', 'compose.yaml:3:12'],
    ['undefined alias', 'services:\n  a:\n    image: *nope\n', 'compose.yaml:3:12'],
  ];
  it.each(located)('%s: the same located message from both readers', async (_name, text, place) => {
    expect(parsePlainYaml(text, 'compose.yaml')).toBeUndefined();
    const cwd = stackDir({ 'compose.yaml': text });
    const options: LoadOptions = { cwd, env: {}, projectName: 'p', stdin: async () => '' };
    const fast = await outcome(options, 'auto');
    expect(fast).toEqual(await outcome(options, 'library'));
    expect('error' in fast && fast.error).toContain(place);
  });

  it('!reset, !override, anchors and merge keys read the same by both', async () => {
    const text = [
      'x-base: &base',
      '  restart: always',
      '  labels: { a: "1" }',
      'services:',
      '  web:',
      '    <<: *base',
      '    image: x',
      '    ports: !reset []',
      '    environment: !override { A: "1" }',
      '',
    ].join('\n');
    const cwd = stackDir({ 'compose.yaml': text });
    const options: LoadOptions = { cwd, env: {}, projectName: 'p', stdin: async () => '' };
    const fast = await outcome(options, 'auto');
    expect(fast).toEqual(await outcome(options, 'library'));
    expect('project' in fast).toBe(true);
  });

  it('an unknown BERTH_YAML value is an error naming the variable', async () => {
    const cwd = stackDir({ 'compose.yaml': 'services:\n  a:\n    image: x\n' });
    const err = await rejection(loadProject({ cwd, env: { BERTH_YAML: 'fast' }, stdin: async () => '' }));
    expect(formatError(err)).toContain('BERTH_YAML must be "auto" or "library", not "fast"');
  });
});

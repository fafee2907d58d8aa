import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BerthError, isBerthError } from '../../../src/errors/kinds.js';
import { loadProject } from '../../../src/loader/load-project.js';
import { fixtureOptions, stackFixtures } from '../../fixtures/stacks/fixtures.js';
import { mutate, prng } from './mutations.js';

/** Mutations per file; over the corpus's ~45 stack and .env files this is a few thousand loads. */
const PER_FILE = 50;
const SEED = 20261122;

/** A load slower than this (twice in a row) is a failure: the "none takes over a second". */
const SLOW_MS = 1000;

/** Loads once: undefined when it loads or fails with a located error, else what went wrong. */
async function loadOnce(options: Parameters<typeof loadProject>[0]): Promise<string | undefined> {
  const started = performance.now();
  try {
    await loadProject(options);
  } catch (err) {
    if (!isBerthError(err)) return `crash: ${(err as Error).stack}`;
    if (!located(err)) return `unlocated: ${err.message}`;
  }
  return performance.now() - started > SLOW_MS ? 'slow' : undefined;
}

/** True when the error, or each of the problems it carries, names a place. */
function located(err: BerthError): boolean {
  if (err.context.location) return true;
  return err.details.length > 0 && err.details.every((d) => Boolean(d.context.location));
}

/** Stack files and .env files of a fixture, relative to its directory. */
function mutableFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /\.(ya?ml|env)$/.test(p)).sort();
}

describe('loader fuzz: mutated stack and .env files load or fail with a located BerthError', () => {
  it.each(stackFixtures().map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    const copy = mkdtempSync(join(tmpdir(), 'berth-fuzz-'));
    try {
      cpSync(fixture.dir, copy, { recursive: true });
      const options = fixtureOptions({ ...fixture, dir: copy });
      const problems: string[] = [];
      for (const file of mutableFiles(copy)) {
        const original = readFileSync(join(copy, file), 'utf8');
        const rand = prng(SEED + file.length * 7919 + fixture.name.length);
        for (let i = 0; i < PER_FILE && problems.length < 3; i++) {
          const text = mutate(original, rand);
          writeFileSync(join(copy, file), text);
          const problem = await loadOnce(options);
          if (problem !== undefined && problem !== 'slow') problems.push(`${file}: ${problem}\n${text}`);
          // A slow load is measured again before it counts, so that a moment of contention on a
          // shared machine is not mistaken for the runaway behaviour this bound is here to catch.
          else if (problem === 'slow' && (await loadOnce(options)) !== undefined)
            problems.push(`${file}: took over ${SLOW_MS} ms twice\n${text}`);
        }
        writeFileSync(join(copy, file), original);
      }
      expect(problems).toEqual([]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

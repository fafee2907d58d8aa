#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { hoistGlobalFlags } from './global-args.js';
import { renderError } from './render-error.js';

/** Command ids from the oclif manifest, read only when the command line starts with a flag. */
function commandIds(): Set<string> {
  try {
    const manifest = JSON.parse(
      readFileSync(new URL('../../../oclif.manifest.json', import.meta.url), 'utf8'),
    );
    return new Set(Object.keys(manifest.commands ?? {}));
  } catch {
    return new Set();
  }
}

/**
 * Most commands live well under a second, and V8's optimizing compiler costs them more than it
 * saves: on `berth config -q` with 200 services it was a third of the CPU time, spent compiling
 * code that would never run again, with the process then waiting at exit for the compile jobs.
 * So it starts off and is switched on once the process has lived long enough to gain from it
 * (`engine run`, attached `up`, `logs -f`). The timer never keeps the process alive.
 */
const OPTIMIZE_AFTER_MS = 2000;
setFlagsFromString('--no-opt');
setTimeout(() => setFlagsFromString('--opt'), OPTIMIZE_AFTER_MS).unref();

/**
 * @oclif/core checks, as it loads, that Node satisfies its own `engines` range, and loads the
 * whole of `semver` (125 modules, a sixth of a short command's start-up) to do it. berth's
 * package already requires Node 20, above that range, so the check is skipped; the variable must
 * be set while @oclif/core loads (checked once, then), hence the dynamic import below.
 */
const skipEngineCheck = process.env.OCLIF_DISABLE_ENGINE_WARNING === undefined;
if (skipEngineCheck) process.env.OCLIF_DISABLE_ENGINE_WARNING = '1';
const { execute } = await import('@oclif/core');
// Gone again, so that stacks, `config --environment` and child processes never see it.
if (skipEngineCheck) delete process.env.OCLIF_DISABLE_ENGINE_WARNING;

const argv = process.argv.slice(2);
const args = argv[0]?.startsWith('-') ? hoistGlobalFlags(argv, commandIds()) : argv;

// oclif reports flag and parse errors itself; anything else that escapes is rendered here,
// so a user never sees a stack trace.
try {
  await execute({ dir: import.meta.url, args });
} catch (err) {
  const { text, exitCode } = renderError(err);
  if (text) process.stderr.write(`${text}\n`);
  process.exitCode = exitCode;
}

#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { execute } from '@oclif/core';
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

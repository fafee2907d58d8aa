#!/usr/bin/env node
import { execute } from '@oclif/core';
import { renderError } from './render-error.js';

// oclif reports flag and parse errors itself; anything else that escapes is rendered here,
// so a user never sees a stack trace.
try {
  await execute({ dir: import.meta.url });
} catch (err) {
  const { text, exitCode } = renderError(err);
  if (text) process.stderr.write(`${text}\n`);
  process.exitCode = exitCode;
}

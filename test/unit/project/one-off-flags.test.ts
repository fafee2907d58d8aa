import { Parser } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import Exec from '../../../src/cli/commands/exec.js';
import Ls from '../../../src/cli/commands/ls.js';
import Run from '../../../src/cli/commands/run.js';

/** Parses argv against `berth run`'s own flag and argument definitions, as oclif does. */
function parseRun(argv: string[]) {
  return Parser.parse(argv, { flags: Run.flags, args: Run.args, strict: false });
}

/** Parses argv against `berth exec`'s own flag and argument definitions, as oclif does. */
function parseExec(argv: string[]) {
  return Parser.parse(argv, { flags: Exec.flags, args: Exec.args, strict: false });
}

describe('one-off command flags', () => {
  it('exec -e takes one value and leaves the service as an argument', async () => {
    const out = await parseExec(['-e', 'X=1', 'web', 'env']);
    expect(out.flags.env).toEqual(['X=1']);
    expect(out.args.service).toBe('web');
  });

  it('run -e and -p are repeatable yet non-greedy; -p means --publish as in Compose', async () => {
    const out = await parseRun(['--rm', '-e', 'X=1', '-p', '18950:80', '-e', 'Y=2', 'web', 'true']);
    expect(out.flags.env).toEqual(['X=1', 'Y=2']);
    expect(out.flags.publish).toEqual(['18950:80']);
    expect(out.flags['project-name']).toBeUndefined();
    expect(out.args.service).toBe('web');
  });

  it('run keeps --project-name, which a leading -p is rewritten to', async () => {
    const out = await parseRun(['--project-name', 'P', '-p', '18950:80', 'web', 'true']);
    expect(out.flags['project-name']).toBe('P');
    expect(out.flags.publish).toEqual(['18950:80']);
  });
});

describe('ls flags', () => {
  it('accepts the global project flags, as `berth -p x ls` arrives', async () => {
    const out = await Parser.parse(['--project-name', 'x', '-a'], { flags: Ls.flags, strict: true });
    expect(out.flags.all).toBe(true);
  });
});

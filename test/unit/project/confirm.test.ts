import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isYes, lineConfirm } from '../../../src/project/confirm.js';

function ask(input: string | undefined, end: boolean): { answer: Promise<boolean>; shown: () => string } {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let shown = '';
  stdout.on('data', (d) => {
    shown += String(d);
  });
  const answer = lineConfirm(stdin, stdout)('Going to remove p-web-1');
  if (input !== undefined) stdin.write(input);
  if (end) stdin.end();
  return { answer, shown: () => shown };
}

describe('confirmation prompt', () => {
  it('takes y and yes in any case as yes, anything else as no', () => {
    for (const a of ['y', 'Y', 'yes', ' YES ']) expect(isYes(a)).toBe(true);
    for (const a of ['', 'n', 'no', 'yep', 'sure']) expect(isYes(a)).toBe(false);
  });

  it('writes the question in Compose words and reads one line', async () => {
    const { answer, shown } = ask('y\nleft over\n', false);
    expect(await answer).toBe(true);
    expect(shown()).toBe('Going to remove p-web-1 Are you sure? [yN] ');
  });

  it('answers no when input ends without a line (no terminal, </dev/null)', async () => {
    const { answer, shown } = ask(undefined, true);
    expect(await answer).toBe(false);
    expect(shown()).toBe('Going to remove p-web-1 Are you sure? [yN] \n');
  });

  it('accepts a last line without a newline', async () => {
    expect(await ask('yes', true).answer).toBe(true);
    expect(await ask('n', true).answer).toBe(false);
  });
});

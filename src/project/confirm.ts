import type { Readable, Writable } from 'node:stream';

/**
 * Asks the user a yes/no question and resolves true only for yes. Injected into the operations
 * that need consent (`rm` without `-f`), so library users and tests decide how to answer.
 */
export type Confirm = (question: string) => Promise<boolean>;

/** `y`, `yes` (any case, surrounding blanks ignored) are yes; anything else, an empty line included, is no. */
export function isYes(answer: string): boolean {
  return /^\s*y(es)?\s*$/i.test(answer);
}

/**
 * A {@link Confirm} that writes `<question> Are you sure? [yN] ` to `output` and reads one line
 * from `input`. It works the same on a terminal and on a pipe (`echo y | berth rm`); when input
 * ends before a line is read (no TTY, `</dev/null`) the answer is no, so nothing is removed
 * without consent — as docker compose v2 does.
 */
export function lineConfirm(input: Readable, output: Writable): Confirm {
  return (question) =>
    new Promise<boolean>((resolve, reject) => {
      output.write(`${question} Are you sure? [yN] `);
      let line = '';
      const finish = (answer: string | undefined): void => {
        input.off('data', onData).off('end', onEnd).off('error', onError);
        input.pause();
        if (answer === undefined) output.write('\n');
        resolve(isYes(answer ?? ''));
      };
      const onData = (chunk: Buffer | string): void => {
        line += chunk.toString();
        const end = line.indexOf('\n');
        if (end >= 0) finish(line.slice(0, end));
      };
      const onEnd = (): void => finish(line || undefined);
      const onError = (err: Error): void => {
        input.off('data', onData).off('end', onEnd).off('error', onError);
        reject(err);
      };
      input.on('data', onData).on('end', onEnd).on('error', onError);
      input.resume();
    });
}

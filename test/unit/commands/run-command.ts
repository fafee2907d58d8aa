import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, vi } from 'vitest';

/** An oclif command class, as the tests run them in-process. */
interface CommandClass {
  run(argv: string[], opts: { root: string }): Promise<unknown>;
}

/** Runs a berth command in-process and returns what it printed and the exit code it set. */
export async function runCommand(
  command: CommandClass,
  argv: string[],
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (sink: string[]) => (chunk: unknown) => {
    sink.push(String(chunk));
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
  const before = process.exitCode;
  try {
    await command.run(argv, { root: process.cwd() });
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = before;
  return { stdout: out.join(''), stderr: err.join(''), exitCode };
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory with a compose.yaml (and any other files), removed after the test. */
export function stack(compose: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-config-cmd-'));
  made.push(dir);
  writeFileSync(join(dir, 'compose.yaml'), compose);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

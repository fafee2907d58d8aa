import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../golden');

/**
 * Compares `actual` with test/golden/<name>; `UPDATE_GOLDEN=1` (re)writes the file instead,
 * so a deliberate change is one command and a reviewed diff.
 */
export function expectGolden(name: string, actual: string): void {
  const file = join(root, name);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

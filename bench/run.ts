import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: runs every benchmark module in bench/ one after another (each prints its own
 * table: berth against the floor and the peers, side by side in the same run). Benchmarks are
 * never tests: nothing here asserts a timing. Pass names to run a subset: `npm run bench -- client`.
 */
const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run.js')
  .map((f) => f.replace(/\.js$/, ''))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

let failed = 0;
for (const name of modules) {
  process.stdout.write(`\n## ${name}\n\n`);
  const res = spawnSync(process.execPath, [join(here, `${name}.js`)], { stdio: 'inherit' });
  if (res.status !== 0) {
    failed++;
    process.stdout.write(`(bench ${name} exited with ${res.status ?? res.signal})\n`);
  }
}
process.exitCode = failed ? 1 : 0;

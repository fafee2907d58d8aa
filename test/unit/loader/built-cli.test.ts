import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackDir } from './stack-dir.js';

/**
 * The loader as a user meets it: the built `berth` binary (config, graph, --help, --version,
 * shell completion) and the package entry `import { loadProject } from 'berth'`. Needs a build
 * (`npm test` builds first).
 */
const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
/** No variable of the machine leaks into the stacks; no completion cache lands in the real home. */
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

function berth(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}) {
  const run = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    env: { ...ENV, ...options.env },
    encoding: 'utf8',
  });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
});

describe('the built berth binary', () => {
  it.each(EXAMPLES)('examples/%s: `berth config | berth -f - config` prints the same', (name) => {
    const cwd = join(ROOT, 'examples', name);
    const first = berth(['config'], { cwd });
    expect(first.status, first.stderr).toBe(0);
    const again = berth(['-f', '-', 'config'], { cwd, input: first.stdout });
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(first.stdout);
    expect(berth(['config', '-q'], { cwd })).toEqual({ stdout: '', stderr: '', status: 0 });
  });

  it('prints the dependency graph as levels, DOT and Mermaid with labelled edges', () => {
    const cwd = join(ROOT, 'examples', 'webapp');
    expect(berth(['graph'], { cwd }).stdout).toContain('api -> db (service_healthy)');
    expect(berth(['graph', '--format', 'dot'], { cwd }).stdout).toContain(
      '"api" -> "db" [label="service_healthy"];',
    );
    expect(berth(['graph', '--format', 'mermaid'], { cwd }).stdout).toMatch(/^flowchart LR\n/);
  });

  it('bad input ends in one located message and exit 1, never a stack trace', () => {
    const cwd = stackDir({ 'compose.yaml': 'services:\n  web:\n    image: x\n    ports: [true]\n' });
    const bad = berth(['config'], { cwd });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(
      'compose.yaml:4:13 services.web.ports[0]: must be a string, number or mapping',
    );
    expect(bad.stderr).not.toMatch(/^\s+at /m);
    const flag = berth(['config', '--format', 'xml'], { cwd });
    expect(flag.status).not.toBe(0);
    expect(flag.stderr).toContain('xml');
    expect(flag.stderr).not.toMatch(/^\s+at /m);
  });

  it('prints --version and --help for every command', async () => {
    expect(berth(['--version']).stdout).toMatch(/^berth\/\d+\.\d+\.\d+ /);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'));
    const ids = Object.keys(manifest.commands as object);
    expect(ids).toEqual(expect.arrayContaining(['config', 'graph', 'up', 'engine:start']));
    const run = promisify(execFile);
    const helps = await Promise.all(
      ids.map((id) => run(process.execPath, [MAIN, ...id.split(':'), '--help'], { env: ENV, cwd: ROOT })),
    );
    helps.forEach(({ stdout }, i) => {
      expect(stdout).toContain(`$ berth ${ids[i]!.replaceAll(':', ' ')}`);
    });
  }, 120_000);

  it('completes commands and flags in bash through the oclif autocomplete plugin', () => {
    const cache = stackDir({}, 'berth-autocomplete-');
    const env = { HOME: cache, XDG_CACHE_HOME: cache };
    expect(berth(['autocomplete', '-r'], { env }).status).toBe(0);
    const script = join(cache, 'berth', 'autocomplete', 'functions', 'bash', 'berth.bash');
    const complete = (words: string[]) =>
      spawnSync(
        'bash',
        [
          '-c',
          `source "$0"; COMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; _berth_autocomplete; echo "\${COMPREPLY[*]}"`,
          script,
        ],
        { encoding: 'utf8', env: ENV },
      ).stdout.trim();
    expect(complete(['berth', 'con'])).toBe('config');
    expect(complete(['berth', 'config', '--ser'])).toBe('--services');
    expect(complete(['berth', 'graph', '--for'])).toBe('--format');
  });
});

describe("the package entry, import { loadProject } from 'berth'", () => {
  it('loads an example to the typed model', () => {
    const code = [
      "import { loadProject } from 'berth';",
      "const p = await loadProject({ cwd: 'examples/webapp', env: {} });",
      'console.log(JSON.stringify([p.name, Object.keys(p.services).sort(), p.services.api.depends_on.db]));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: ROOT,
      env: ENV,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([
      'webapp',
      ['api', 'db', 'migrate', 'web'],
      { condition: 'service_healthy', required: true, restart: false },
    ]);
  });
});

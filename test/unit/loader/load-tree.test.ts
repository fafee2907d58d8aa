// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose interpolation syntax is the subject of these tests
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTree } from '../../../src/loader/load-tree.js';
import type { LoadOptions } from '../../../src/loader/options.js';
import { formatPosition } from '../../../src/loader/tree-path.js';
import { rejection, stackDir } from './stack-dir.js';

const load = (cwd: string, options: LoadOptions = {}) => loadTree({ cwd, env: {}, ...options });

describe('loadTree: discovery', () => {
  it('finds compose.yaml in a parent directory, with its override file', async () => {
    const root = stackDir({
      'compose.yaml': 'services:\n  web: {image: nginx, ports: ["80:80"]}\n',
      'compose.override.yml': 'services:\n  web: {ports: ["81:80"]}\n',
      'docker-compose.yaml': 'services: {ignored: {image: x}}\n',
      'sub/dir/.keep': '',
    });
    const { tree, context } = await load(join(root, 'sub/dir'));
    expect(tree).toEqual({ services: { web: { image: 'nginx', ports: ['80:80', '81:80'] } } });
    expect(context.configFiles).toEqual([join(root, 'compose.yaml'), join(root, 'compose.override.yml')]);
    expect(context.workingDir).toBe(root);
  });

  it('warns when a directory has several default names', async () => {
    const root = stackDir({ 'compose.yaml': 'services: {}\n', 'docker-compose.yml': 'services: {}\n' });
    const warnings: string[] = [];
    await load(root, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([`found compose.yaml, docker-compose.yml in ${root}; using compose.yaml`]);
  });

  it.each(['compose.yml', 'docker-compose.yaml', 'docker-compose.yml'])('finds %s', async (name) => {
    const root = stackDir({ [name]: 'services: {a: {image: x}}\n' });
    expect((await load(root)).context.configFiles).toEqual([join(root, name)]);
  });

  it('fails with not-found when there is no stack file', async () => {
    const root = stackDir({ 'readme.txt': '' });
    const err = await rejection(load(root));
    expect(err.kind).toBe('not-found');
    expect(err.message).toMatch(/no stack file found .* compose\.yaml/);
  });

  it('uses -f files in order and ignores override files', async () => {
    const root = stackDir({
      'a.yaml': 'services: {web: {image: a, environment: {X: "1"}}}\n',
      'b.yaml': 'services: {web: {image: b}}\n',
      'compose.override.yaml': 'services: {web: {image: never}}\n',
    });
    const { tree, context } = await load(root, { files: ['a.yaml', 'b.yaml'] });
    expect(tree).toEqual({ services: { web: { image: 'b', environment: { X: '1' } } } });
    expect(context.configFiles).toEqual([join(root, 'a.yaml'), join(root, 'b.yaml')]);
  });

  it('resolves relative paths of every -f file against the project directory', async () => {
    const root = stackDir({
      'app/compose.yaml': 'services: {web: {build: ./web}}\n',
      'overrides/dev.yaml': 'services:\n  web:\n    extends: {file: overrides/base.yaml, service: b}\n',
      'app/overrides/base.yaml': 'services: {b: {env_file: ./dev.env}}\n',
    });
    const { tree } = await load(root, { files: ['app/compose.yaml', 'overrides/dev.yaml'] });
    expect(tree).toEqual({ services: { web: { build: './web', env_file: './overrides/dev.env' } } });
  });

  it('reads -f - from the injected stdin, relative to the current directory', async () => {
    const root = stackDir({});
    const { tree, context } = await load(root, {
      files: ['-'],
      stdin: async () => 'services: {s: {image: x}}\n',
    });
    expect(tree).toEqual({ services: { s: { image: 'x' } } });
    expect(context.configFiles).toEqual(['-']);
    expect(context.workingDir).toBe(root);
  });

  it('locates errors in stdin', async () => {
    const err = await rejection(load(stackDir({}), { files: ['-'], stdin: async () => 'a: 1\na: 2\n' }));
    expect(err.context.location).toBe('stdin:2:1');
  });

  it('honours --project-directory for discovery, .env and the name', async () => {
    const root = stackDir({
      'proj/compose.yaml': 'services: {a: {image: "${IMG}"}}\n',
      'proj/.env': 'IMG=busybox\n',
    });
    const { tree, context } = await load(root, { projectDirectory: 'proj' });
    expect(tree).toEqual({ services: { a: { image: 'busybox' } } });
    expect(context.projectName).toBe('proj');
  });

  it('takes COMPOSE_FILE from the environment', async () => {
    const root = stackDir({
      'x.yaml': 'services: {x: {image: x}}\n',
      'y.yaml': 'services: {y: {image: y}}\n',
    });
    const { tree } = await load(root, { env: { COMPOSE_FILE: 'x.yaml:y.yaml' } });
    expect(Object.keys(tree.services as object)).toEqual(['x', 'y']);
  });

  it('reports a missing -f file', async () => {
    const err = await rejection(load(stackDir({}), { files: ['nope.yaml'] }));
    expect(err.kind).toBe('not-found');
    expect(err.message).toMatch(/nope\.yaml/);
  });

  it('shows positions relative to the current directory', async () => {
    const root = stackDir({ 'compose.yaml': 'services:\n  web:\n    image: x\n' });
    const { positions } = await load(root);
    expect(formatPosition(positions.get(['services', 'web', 'image'])!)).toBe('compose.yaml:3:12');
  });
});

describe('loadTree: environment and interpolation', () => {
  const files = {
    'compose.yaml': 'services:\n  web:\n    image: "app:${TAG}"\n    environment: {FROM: "${FROM}"}\n',
    '.env': 'TAG=from-dotenv\nFROM=dotenv\n',
    'alt.env': 'TAG=from-alt\n',
    'alt2.env': 'TAG=from-alt2\nFROM=alt2\n',
  };
  it.each([
    ['.env alone', {}, [], 'app:from-dotenv', 'dotenv'],
    ['process environment over .env', { TAG: 'proc' }, [], 'app:proc', 'dotenv'],
    ['--env-file replaces .env', {}, ['alt.env'], 'app:from-alt', ''],
    ['later --env-file wins', {}, ['alt.env', 'alt2.env'], 'app:from-alt2', 'alt2'],
    ['process environment over --env-file', { FROM: 'proc' }, ['alt2.env'], 'app:from-alt2', 'proc'],
  ])('%s', async (_name, env, envFiles, image, from) => {
    const root = stackDir(files);
    const { tree, context } = await load(root, { env, envFiles });
    expect(tree).toEqual({ services: { web: { image, environment: { FROM: from } } } });
    expect(context.environment.TAG).toBe(image.slice(4));
  });

  it('takes env files from COMPOSE_ENV_FILES when no --env-file is given', async () => {
    const root = stackDir(files);
    const { tree } = await load(root, { env: { COMPOSE_ENV_FILES: 'alt.env,alt2.env' } });
    expect(tree).toEqual({ services: { web: { image: 'app:from-alt2', environment: { FROM: 'alt2' } } } });
  });

  it('warns that a top-level version is obsolete', async () => {
    const root = stackDir({ 'compose.yaml': 'version: "3.8"\nservices: {}\n' });
    const warnings: string[] = [];
    await load(root, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual(['compose.yaml:1:10: the top-level "version" is obsolete and ignored']);
  });

  it('reports a missing --env-file', async () => {
    const root = stackDir(files);
    const err = await rejection(load(root, { envFiles: ['nope.env'] }));
    expect(err.kind).toBe('not-found');
    expect(err.message).toBe(`file not found: ${join(root, 'nope.env')}`);
  });

  it('warns about unset variables with their place', async () => {
    const root = stackDir({ 'compose.yaml': 'services:\n  web: {image: "x:${NOPE}"}\n' });
    const warnings: string[] = [];
    await load(root, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([
      'compose.yaml:2:16: the "NOPE" variable is not set, defaulting to a blank string',
    ]);
  });

  it('fails on a missing required variable with its name, message and place', async () => {
    const root = stackDir({
      'compose.yaml': 'services:\n  db:\n    image: "${DB_IMAGE:?pick a database image}"\n',
    });
    const err = await rejection(load(root));
    expect(err.message).toBe('required variable "DB_IMAGE" is missing a value: pick a database image');
    expect(err.context.location).toBe('compose.yaml:3:12');
  });

  it('skips interpolation with interpolate: false, but still resolves the name', async () => {
    const root = stackDir({
      'compose.yaml': 'name: ${N:-named}\nservices: {a: {image: "${X:?}", tty: "${T}"}}\n',
    });
    const { tree, context } = await load(root, { interpolate: false });
    expect(tree).toEqual({ name: '${N:-named}', services: { a: { image: '${X:?}', tty: '${T}' } } });
    expect(context.projectName).toBe('named');
  });

  it('locates a bad .env line', async () => {
    const root = stackDir({ 'compose.yaml': 'services: {}\n', '.env': 'OK=1\nA="open\n' });
    const err = await rejection(load(root));
    expect(err.context.location).toBe('.env:2:3');
  });

  it('collects profiles from --profile and COMPOSE_PROFILES', async () => {
    const root = stackDir({ 'compose.yaml': 'services: {}\n', '.env': 'COMPOSE_PROFILES=debug, tools\n' });
    const { context } = await load(root, { profiles: ['tools', 'web'] });
    expect(context.profiles).toEqual(['tools', 'web', 'debug']);
  });

  it('hands normalization an env_file reader', async () => {
    const root = stackDir({ 'compose.yaml': 'services: {}\n', 'web.env': 'A=1\nB=${HOME_X}\n' });
    const { context } = await load(root, { env: { HOME_X: 'h' } });
    expect(context.readEnvFile('web.env', true)).toEqual({ A: '1', B: 'h' });
    expect(context.readEnvFile('missing.env', false)).toBeUndefined();
    const err = (() => {
      try {
        context.readEnvFile('missing.env', true);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/file not found/);
  });
});

describe('loadTree: project name', () => {
  const files = { 'My App/compose.yaml': 'name: ${NAME:-}\nservices: {}\n' };
  it.each([
    ['directory basename, normalized', {}, {}, 'myapp'],
    ['top-level name:', {}, { NAME: 'from-file' }, 'from-file'],
    [
      'COMPOSE_PROJECT_NAME over name:',
      {},
      { NAME: 'from-file', COMPOSE_PROJECT_NAME: 'from-env' },
      'from-env',
    ],
    ['-p over everything', { projectName: 'flag' }, { NAME: 'f', COMPOSE_PROJECT_NAME: 'e' }, 'flag'],
  ])('%s', async (_name, options, env, expected) => {
    const root = stackDir(files);
    const { context } = await load(join(root, 'My App'), { ...options, env });
    expect(context.projectName).toBe(expected);
  });

  it.each([
    [{ projectName: 'Bad Name' }, {}, /invalid project name "Bad Name" \(from -p/],
    [{}, { COMPOSE_PROJECT_NAME: '_x' }, /invalid project name "_x" \(from COMPOSE_PROJECT_NAME\)/],
    [{}, { NAME: 'UPPER' }, /invalid project name "UPPER" \(from the top-level "name"\)/],
  ])('rejects an explicit invalid name %#', async (options, env, message) => {
    const root = stackDir(files);
    const err = await rejection(load(join(root, 'My App'), { ...options, env }));
    expect(err.message).toMatch(message);
  });

  it('lets the files use the resolved name as ${COMPOSE_PROJECT_NAME}', async () => {
    const root = stackDir({
      'compose.yaml':
        'name: ${NAME:-declared}\nservices:\n  web: {image: x, container_name: "${COMPOSE_PROJECT_NAME}-web"}\n',
    });
    const web = async (options: LoadOptions) =>
      ((await load(root, options)).tree.services as Record<string, Record<string, unknown>>).web!
        .container_name;
    expect(await web({})).toBe('declared-web');
    expect(await web({ env: { NAME: 'named' } })).toBe('named-web');
    expect(await web({ projectName: 'flagged', env: { COMPOSE_PROJECT_NAME: 'ignored' } })).toBe(
      'flagged-web',
    );
  });

  it('locates an invalid name: in the file', async () => {
    const root = stackDir({ 'compose.yaml': 'name: Bad\nservices: {}\n' });
    expect((await rejection(load(root))).context.location).toBe('compose.yaml:1:7');
  });
});
